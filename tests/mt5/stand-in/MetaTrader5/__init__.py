"""A stand-in for the `MetaTrader5` package (tests only): the same functions, constants and namedtuple results, over
an in-memory netting account instead of a running MT5 terminal. Prices come from the JSON file named by
MT5_STANDIN_PRICES ({"EURUSD": [bid, ask], ...}), re-read on every call, so a test moves the market by writing it;
pending orders that the prices cross fill on the next call.

MT5_STANDIN_STATE keeps the account in a JSON file, re-read and written under a lock around every call: the file plays
the terminal, so a bridge that is killed or restarted finds the account as the terminal would, and a stale bridge still
finishing a request writes to the same account. MT5_STANDIN_FAULTS names a JSON file of faults (a list), consumed as
they strike (see _strike): the bridge process exits or stalls before or after a call, the terminal answers "No IPC
connection", order_send answers a retcode (requote, off quotes, no connection) without trading, the deal history lists
every deal twice, the rollover charges swap on the open positions (see _rollover). A price shock is a test writing the prices file. Each bridge writes its pid to MT5_STANDIN_STATE.pid."""
import json
import os
import time
from decimal import Decimal, ROUND_HALF_UP
try:
    import fcntl
except ImportError:  # Windows: one bridge at a time, no lock needed
    fcntl = None
from collections import namedtuple

TRADE_ACTION_DEAL, TRADE_ACTION_PENDING, TRADE_ACTION_SLTP, TRADE_ACTION_MODIFY, TRADE_ACTION_REMOVE = 1, 5, 6, 7, 8
ORDER_TYPE_BUY, ORDER_TYPE_SELL, ORDER_TYPE_BUY_LIMIT, ORDER_TYPE_SELL_LIMIT, ORDER_TYPE_BUY_STOP, ORDER_TYPE_SELL_STOP = 0, 1, 2, 3, 4, 5
ORDER_FILLING_FOK, ORDER_FILLING_IOC, ORDER_FILLING_RETURN = 0, 1, 2
ORDER_TIME_GTC = 0
DEAL_TYPE_BUY, DEAL_TYPE_SELL = 0, 1
DEAL_ENTRY_IN, DEAL_ENTRY_OUT = 0, 1
POSITION_TYPE_BUY, POSITION_TYPE_SELL = 0, 1
TRADE_RETCODE_PLACED, TRADE_RETCODE_DONE, TRADE_RETCODE_REJECT, TRADE_RETCODE_INVALID_VOLUME = 10008, 10009, 10006, 10014
TRADE_RETCODE_INVALID_PRICE, TRADE_RETCODE_NO_MONEY, TRADE_RETCODE_INVALID_ORDER = 10015, 10019, 10035

TerminalInfo = namedtuple("TerminalInfo", "connected trade_allowed name company build")
AccountInfo = namedtuple("AccountInfo", "login trade_mode leverage margin_so_mode balance credit profit equity margin margin_free margin_level margin_so_call margin_so_so name server currency company")
SymbolInfo = namedtuple("SymbolInfo", "name description digits point trade_contract_size volume_min volume_step volume_max currency_base currency_profit currency_margin swap_long swap_short margin_initial trade_mode bid ask")
Tick = namedtuple("Tick", "time bid ask last volume time_msc flags volume_real")
OrderSendResult = namedtuple("OrderSendResult", "retcode deal order volume price bid ask comment request_id retcode_external request")
TradeOrder = namedtuple("TradeOrder", "ticket time_setup time_setup_msc type state magic volume_initial volume_current price_open sl tp price_current symbol comment")
TradePosition = namedtuple("TradePosition", "ticket time time_msc type magic identifier volume price_open sl tp price_current swap profit symbol comment")
TradeDeal = namedtuple("TradeDeal", "ticket order time time_msc type entry magic position_id reason volume price commission swap profit fee symbol comment")

SYMBOLS = {
    "EURUSD": dict(description="Euro vs US Dollar", digits=5, contract=100000, vmin=0.01, step=0.01, base="EUR", profit="USD"),
    "GBPUSD": dict(description="Great Britain Pound vs US Dollar", digits=5, contract=100000, vmin=0.01, step=0.01, base="GBP", profit="USD"),
    "XAUUSD": dict(description="Gold vs US Dollar", digits=2, contract=100, vmin=0.01, step=0.01, base="XAU", profit="USD"),
}
_state = {"up": False, "error": (1, "Success"), "login": 0, "balance": 10000.0, "next": 1000, "orders": [], "positions": [], "deals": []}
_STATE_FILE = os.environ.get("MT5_STANDIN_STATE")
_FAULTS_FILE = os.environ.get("MT5_STANDIN_FAULTS")
if _STATE_FILE:
    with open(_STATE_FILE + ".pid", "w") as _f:
        _f.write(str(os.getpid()))


def _load():
    if _STATE_FILE and os.path.exists(_STATE_FILE):
        with open(_STATE_FILE) as f:
            _state.update({k: v for k, v in json.load(f).items() if k in ("balance", "next", "orders", "positions", "deals")})


def _save():
    if _STATE_FILE:
        with open(_STATE_FILE + ".tmp", "w") as f:
            json.dump({k: _state[k] for k in ("balance", "next", "orders", "positions", "deals")}, f)
        os.replace(_STATE_FILE + ".tmp", _STATE_FILE)


def _prices():
    path = os.environ.get("MT5_STANDIN_PRICES")
    prices = {"EURUSD": [1.08500, 1.08510], "GBPUSD": [1.27000, 1.27012], "XAUUSD": [2350.00, 2350.30]}
    if path and os.path.exists(path):
        with open(path) as f:
            prices.update(json.load(f))
    return prices


def _fail(code, message):
    _state["error"] = (code, message)
    return None


def _ticket():
    _state["next"] += 1
    return _state["next"]


def _deal(symbol, buy, volume, price, order, comment, magic):
    """Nets the deal into the symbol's one position (a netting account), as MT5 does."""
    now = int(time.time())
    pos = next((p for p in _state["positions"] if p["symbol"] == symbol), None)
    signed = volume if buy else -volume
    entry = DEAL_ENTRY_IN
    swap = 0.0
    position_id = order
    if pos is None:
        _state["positions"].append(dict(ticket=order, symbol=symbol, volume=signed, price=price, comment=comment, magic=magic, time=now, swap=0.0))
    else:
        position_id = pos["ticket"]
        new = round(pos["volume"] + signed, 8)
        if pos["volume"] * signed < 0:
            entry = DEAL_ENTRY_OUT
            closed = min(abs(signed), abs(pos["volume"]))
            _state["balance"] += (price - pos["price"]) * closed * (1 if pos["volume"] > 0 else -1) * SYMBOLS[symbol]["contract"]
            # The closed part's swap goes with the closing deal into the balance; the rest stays on the position.
            held = Decimal(repr(pos.get("swap", 0.0)))
            part = (held * Decimal(repr(closed)) / Decimal(repr(abs(pos["volume"])))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            swap = float(part)
            pos["swap"] = float(held - part)
            _state["balance"] += swap
            if abs(signed) > abs(pos["volume"]):
                pos["price"] = price
                pos["swap"] = 0.0
        else:
            pos["price"] = (pos["price"] * abs(pos["volume"]) + price * volume) / abs(new)
        pos["volume"] = new
        if abs(new) < 1e-9:
            _state["positions"].remove(pos)
    deal = dict(ticket=_ticket(), order=order, time=now, type=DEAL_TYPE_BUY if buy else DEAL_TYPE_SELL, entry=entry, volume=volume, price=price, symbol=symbol, comment=comment, magic=magic,
                swap=swap, position_id=position_id)
    _state["deals"].append(deal)
    return deal


def _rollover(days):
    """The daily rollover: each open position's `swap` grows by its symbol's swap, taken as an annual percent of its
    value at the mid (MT5's SYMBOL_SWAP_MODE_INTEREST_CURRENT; swap_long for a long, swap_short for a short), for `days`
    days (3 on a Wednesday), 1/365 a day, in the account currency (every stand-in symbol is USD-quoted), half-up to the
    cent. As in MT5, the swap stays on the position (equity sees it) and reaches the balance when the position closes."""
    prices = _prices()
    for p in _state["positions"]:
        bid, ask = prices[p["symbol"]]
        s = _symbol(p["symbol"])
        rate = s.swap_long if p["volume"] > 0 else s.swap_short
        value = Decimal(repr(abs(p["volume"]))) * Decimal(SYMBOLS[p["symbol"]]["contract"]) * (Decimal(repr(bid)) + Decimal(repr(ask))) / 2
        charge = (value * Decimal(repr(rate)) / 100 / 365 * days).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        p["swap"] = float(Decimal(repr(p.get("swap", 0.0))) + charge)


def _trigger():
    prices = _prices()
    for o in list(_state["orders"]):
        bid, ask = prices[o["symbol"]]
        t = o["type"]
        hit = (t == ORDER_TYPE_BUY_LIMIT and ask <= o["price"]) or (t == ORDER_TYPE_SELL_LIMIT and bid >= o["price"]) or \
              (t == ORDER_TYPE_BUY_STOP and ask >= o["price"]) or (t == ORDER_TYPE_SELL_STOP and bid <= o["price"])
        if hit:
            _state["orders"].remove(o)
            buy = t in (ORDER_TYPE_BUY_LIMIT, ORDER_TYPE_BUY_STOP)
            price = o["price"] if t in (ORDER_TYPE_BUY_LIMIT, ORDER_TYPE_SELL_LIMIT) else (ask if buy else bid)
            _deal(o["symbol"], buy, o["volume"], price, o["ticket"], o["comment"], o["magic"])
    _save()


def initialize(path=None, login=None, password=None, server=None, timeout=None, portable=False):
    if password is not None and password != os.environ.get("MT5_STANDIN_PASSWORD", password):
        _fail(-6, "Terminal: Authorization failed")
        return False
    _state.update(up=True, login=login or 5012345, error=(1, "Success"))
    return True


def shutdown():
    _state["up"] = False


def last_error():
    return _state["error"]


def version():
    return (500, 4410, "01 Jun 2024") if _state["up"] else _fail(-10004, "No IPC connection")


def terminal_info():
    return TerminalInfo(True, True, "MetaTrader 5 (stand-in)", "Quant Claude tests", 4410) if _state["up"] else _fail(-10004, "No IPC connection")


def account_info():
    if not _state["up"]:
        return _fail(-10004, "No IPC connection")
    _trigger()
    prices = _prices()
    profit = sum((prices[p["symbol"]][0 if p["volume"] > 0 else 1] - p["price"]) * p["volume"] * SYMBOLS[p["symbol"]]["contract"] + p.get("swap", 0.0) for p in _state["positions"])
    margin = sum(abs(p["volume"]) * SYMBOLS[p["symbol"]]["contract"] * p["price"] / 30 for p in _state["positions"])
    equity = _state["balance"] + profit
    return AccountInfo(_state["login"], 0, 30, 0, round(_state["balance"], 2), 0.0, round(profit, 2), round(equity, 2), round(margin, 2), round(equity - margin, 2),
                       round(equity / margin * 100, 2) if margin else 0.0, 100.0, 50.0, "Stand-in Demo", "StandIn-Demo", "USD", "Quant Claude tests")


def _symbol(name):
    s = SYMBOLS[name]
    bid, ask = _prices()[name]
    return SymbolInfo(name, s["description"], s["digits"], 10 ** -s["digits"], s["contract"], s["vmin"], s["step"], 100.0, s["base"], s["profit"], s["base"], -6.5, 1.2, 0.0, 4, bid, ask)


def symbols_get(group=None):
    if not _state["up"]:
        return _fail(-10004, "No IPC connection")
    return tuple(_symbol(n) for n in SYMBOLS)


def symbol_info(symbol):
    if not _state["up"]:
        return _fail(-10004, "No IPC connection")
    return _symbol(symbol) if symbol in SYMBOLS else _fail(-4, "Terminal: Not found")


def symbol_select(symbol, enable=True):
    return symbol in SYMBOLS


def symbol_info_tick(symbol):
    if not _state["up"] or symbol not in SYMBOLS:
        return _fail(-4, "Terminal: Not found")
    _trigger()
    bid, ask = _prices()[symbol]
    now = time.time()
    return Tick(int(now), bid, ask, 0.0, 0, int(now * 1000), 6, 0.0)


def order_check(request):
    return None if not _state["up"] else {"retcode": 0, "comment": "Done"}


def order_send(request):
    try:
        return _order_send(request)
    finally:
        _save()


def _order_send(request):
    if not _state["up"]:
        return _fail(-10004, "No IPC connection")
    _trigger()
    action, symbol = request.get("action"), request.get("symbol")
    volume = float(request.get("volume", 0))
    comment, magic = request.get("comment", ""), request.get("magic", 0)
    if action == TRADE_ACTION_REMOVE:
        o = next((x for x in _state["orders"] if x["ticket"] == request.get("order")), None)
        if o is None:
            return OrderSendResult(TRADE_RETCODE_INVALID_ORDER, 0, 0, 0.0, 0.0, 0.0, 0.0, "Invalid order", 0, 0, request)
        _state["orders"].remove(o)
        return OrderSendResult(TRADE_RETCODE_DONE, 0, o["ticket"], 0.0, 0.0, 0.0, 0.0, "Request executed", 0, 0, request)
    if action == TRADE_ACTION_MODIFY:
        o = next((x for x in _state["orders"] if x["ticket"] == request.get("order")), None)
        if o is None:
            return OrderSendResult(TRADE_RETCODE_INVALID_ORDER, 0, 0, 0.0, 0.0, 0.0, 0.0, "Invalid order", 0, 0, request)
        if not request.get("price"):
            return OrderSendResult(TRADE_RETCODE_INVALID_PRICE, 0, 0, 0.0, 0.0, 0.0, 0.0, "Invalid price", 0, 0, request)
        o["price"] = float(request["price"])
        return OrderSendResult(TRADE_RETCODE_DONE, 0, o["ticket"], o["volume"], o["price"], 0.0, 0.0, "Request executed", 0, 0, request)
    if symbol not in SYMBOLS:
        return _fail(-2, "Invalid \"symbol\" argument")
    s = SYMBOLS[symbol]
    if volume < s["vmin"] - 1e-12 or abs(round(volume / s["step"]) * s["step"] - volume) > 1e-9:
        return OrderSendResult(TRADE_RETCODE_INVALID_VOLUME, 0, 0, volume, 0.0, 0.0, 0.0, "Invalid volume", 0, 0, request)
    bid, ask = _prices()[symbol]
    ticket = _ticket()
    if action == TRADE_ACTION_DEAL:
        buy = request.get("type") == ORDER_TYPE_BUY
        price = ask if buy else bid
        if volume * s["contract"] * price / 30 > (account_info().margin_free):
            return OrderSendResult(TRADE_RETCODE_NO_MONEY, 0, 0, volume, 0.0, bid, ask, "No money", 0, 0, request)
        deal = _deal(symbol, buy, volume, price, ticket, comment, magic)
        return OrderSendResult(TRADE_RETCODE_DONE, deal["ticket"], ticket, volume, price, bid, ask, "Request executed", 0, 0, request)
    if action == TRADE_ACTION_PENDING:
        if request.get("type") not in (ORDER_TYPE_BUY_LIMIT, ORDER_TYPE_SELL_LIMIT, ORDER_TYPE_BUY_STOP, ORDER_TYPE_SELL_STOP) or not request.get("price"):
            return OrderSendResult(TRADE_RETCODE_INVALID_PRICE, 0, 0, volume, 0.0, bid, ask, "Invalid price", 0, 0, request)
        _state["orders"].append(dict(ticket=ticket, symbol=symbol, type=request["type"], volume=volume, price=float(request["price"]), comment=comment, magic=magic, time=int(time.time())))
        return OrderSendResult(TRADE_RETCODE_DONE, 0, ticket, volume, float(request["price"]), bid, ask, "Request executed", 0, 0, request)
    return OrderSendResult(TRADE_RETCODE_REJECT, 0, 0, 0.0, 0.0, 0.0, 0.0, "Unsupported action", 0, 0, request)


def orders_get(symbol=None, group=None, ticket=None):
    if not _state["up"]:
        return _fail(-10004, "No IPC connection")
    _trigger()
    prices = _prices()
    return tuple(TradeOrder(o["ticket"], o["time"], o["time"] * 1000, o["type"], 1, o["magic"], o["volume"], o["volume"], o["price"], 0.0, 0.0,
                            prices[o["symbol"]][1], o["symbol"], o["comment"]) for o in _state["orders"])


def positions_get(symbol=None, group=None, ticket=None):
    if not _state["up"]:
        return _fail(-10004, "No IPC connection")
    _trigger()
    prices = _prices()
    return tuple(TradePosition(p["ticket"], p["time"], p["time"] * 1000, POSITION_TYPE_BUY if p["volume"] > 0 else POSITION_TYPE_SELL, p["magic"], p["ticket"],
                               abs(p["volume"]), p["price"], 0.0, 0.0, prices[p["symbol"]][0], p.get("swap", 0.0), 0.0, p["symbol"], p["comment"]) for p in _state["positions"])


def history_deals_get(date_from, date_to, group=None):
    if not _state["up"]:
        return _fail(-10004, "No IPC connection")
    _trigger()
    f = date_from if isinstance(date_from, (int, float)) else date_from.timestamp()
    t = date_to if isinstance(date_to, (int, float)) else date_to.timestamp()
    return tuple(TradeDeal(d["ticket"], d["order"], d["time"], d["time"] * 1000, d["type"], d["entry"], d["magic"], d.get("position_id", 0), 3, d["volume"], d["price"], 0.0, d.get("swap", 0.0), 0.0, 0.0,
                           d["symbol"], d["comment"]) for d in _state["deals"] if f <= d["time"] <= t)


def history_orders_get(date_from, date_to, group=None):
    return () if _state["up"] else _fail(-10004, "No IPC connection")


def _take_fault(name, when):
    """The first fault that matches this call, its count consumed (under the terminal's lock)."""
    if not _FAULTS_FILE or not os.path.exists(_FAULTS_FILE):
        return None
    with open(_FAULTS_FILE) as f:
        try:
            faults = json.load(f)
        except ValueError:
            return None
    for f in faults:
        if f.get("on", "*") in ("*", name) and f.get("when", "before") == when and f.get("count", 1) > 0:
            f["count"] = f.get("count", 1) - 1
            with open(_FAULTS_FILE + ".tmp", "w") as out:
                json.dump([x for x in faults if x.get("count", 1) > 0], out)
            os.replace(_FAULTS_FILE + ".tmp", _FAULTS_FILE)
            return f
    return None


_depth = [0]


class _Lock:
    """The terminal's lock across bridge processes; re-entrant within one (order_send reads account_info)."""
    def __enter__(self):
        _depth[0] += 1
        self.f = open(_STATE_FILE + ".lock", "a") if _STATE_FILE and fcntl and _depth[0] == 1 else None
        if self.f:
            fcntl.flock(self.f, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc):
        _depth[0] -= 1
        if self.f:
            fcntl.flock(self.f, fcntl.LOCK_UN)
            self.f.close()


def _strike(fault, name):
    kind = fault["kind"]
    if kind == "exit":
        os._exit(3)
    if kind == "stall":
        time.sleep(fault.get("ms", 3000) / 1000.0)


def _terminal(fn):
    name = fn.__name__

    def call(*args, **kwargs):
        if _depth[0] > 0:
            return fn(*args, **kwargs)
        with _Lock():
            before = _take_fault(name, "before")
        if before and before["kind"] in ("exit", "stall"):
            _strike(before, name)
        with _Lock():
            _load()
            if before and before["kind"] == "disconnect" and name not in ("last_error", "shutdown"):
                _fail(-10004, "No IPC connection")
                result = False if name == "initialize" else None
            elif before and before["kind"] == "rollover":
                _rollover(before.get("days", 1))
                result = fn(*args, **kwargs)
            elif before and before["kind"] == "retcode" and name == "order_send":
                result = OrderSendResult(before["retcode"], 0, 0, 0.0, 0.0, 0.0, 0.0, before.get("comment", "Requote"), 0, 0, args[0] if args else None)
            else:
                result = fn(*args, **kwargs)
                if before and before["kind"] == "duplicate" and name == "history_deals_get" and result:
                    result = tuple(result) + tuple(result)
            _save()
            after = _take_fault(name, "after")
        if after and after["kind"] in ("exit", "stall"):
            _strike(after, name)
        return result
    call.__name__ = name
    return call


for _name in ("initialize", "version", "terminal_info", "account_info", "symbols_get", "symbol_info", "symbol_info_tick",
              "order_check", "order_send", "orders_get", "positions_get", "history_deals_get", "history_orders_get"):
    globals()[_name] = _terminal(globals()[_name])
