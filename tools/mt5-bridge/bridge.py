#!/usr/bin/env python3
"""Quant Claude's MetaTrader 5 bridge: JSON lines over stdio around the `MetaTrader5` Python package.

MetaTrader 5's only official API is that package, which drives a running MT5 terminal on Windows (it talks to the
terminal process, not to a server). This bridge runs next to the terminal; the app starts it as a child process and
sends one JSON request per line: {"id": 1, "method": "account_info", "params": {}}. Each answer is one line:
{"id": 1, "result": ...} or {"id": 1, "error": {"code": -2, "message": "..."}} (the package's last_error()).
Set MT5_MODULE to import another module under the package's name (the tests' stand-in).
"""
import importlib
import json
import os
import sys

mt5 = importlib.import_module(os.environ.get("MT5_MODULE", "MetaTrader5"))


def plain(x):
    """The package's results are namedtuples (or tuples of them): as JSON objects and lists."""
    if x is None:
        return None
    if hasattr(x, "_asdict"):
        return {k: plain(v) for k, v in x._asdict().items()}
    if isinstance(x, (list, tuple)):
        return [plain(v) for v in x]
    if isinstance(x, dict):
        return {k: plain(v) for k, v in x.items()}
    return x


class Failed(Exception):
    pass


def need(value):
    """None from the package means failure: last_error() says why."""
    if value is None:
        code, message = mt5.last_error()
        raise Failed(code, message)
    return value


def initialize(p):
    kwargs = {k: p[k] for k in ("path", "login", "password", "server", "timeout", "portable") if p.get(k) is not None}
    if not mt5.initialize(**kwargs):
        code, message = mt5.last_error()
        raise Failed(code, message)
    return {"version": list(mt5.version() or []), "terminal": plain(mt5.terminal_info())}


def order_send(p):
    result = need(mt5.order_send(p["request"]))
    return plain(result)


METHODS = {
    "initialize": initialize,
    "shutdown": lambda p: mt5.shutdown() or True,
    "account_info": lambda p: plain(need(mt5.account_info())),
    "symbols": lambda p: plain(need(mt5.symbols_get(group=p["group"]) if p.get("group") else mt5.symbols_get())),
    "symbol_info": lambda p: plain(need(mt5.symbol_info(p["symbol"]))),
    "symbol_select": lambda p: bool(mt5.symbol_select(p["symbol"], True)),
    "ticks": lambda p: {s: plain(mt5.symbol_info_tick(s)) for s in p["symbols"]},
    "order_check": lambda p: plain(need(mt5.order_check(p["request"]))),
    "order_send": order_send,
    "orders": lambda p: plain(need(mt5.orders_get())),
    "positions": lambda p: plain(need(mt5.positions_get())),
    "history_deals": lambda p: plain(need(mt5.history_deals_get(p["from"], p["to"]))),
    "history_orders": lambda p: plain(need(mt5.history_orders_get(p["from"], p["to"]))),
}


def main():
    out = sys.stdout
    out.write(json.dumps({"ready": True, "bridge": 1}) + "\n")
    out.flush()
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            req = json.loads(line)
        except ValueError:
            out.write(json.dumps({"id": None, "error": {"code": -32700, "message": "not JSON"}}) + "\n")
            out.flush()
            continue
        rid = req.get("id")
        method = METHODS.get(req.get("method"))
        try:
            if method is None:
                raise Failed(-32601, "unknown method %s" % req.get("method"))
            answer = {"id": rid, "result": method(req.get("params") or {})}
        except Failed as e:
            answer = {"id": rid, "error": {"code": e.args[0], "message": e.args[1]}}
        except Exception as e:  # a bug or a broken terminal: reported, the bridge lives on
            answer = {"id": rid, "error": {"code": -1, "message": "%s: %s" % (type(e).__name__, e)}}
        out.write(json.dumps(answer) + "\n")
        out.flush()
        if req.get("method") == "shutdown":
            break


if __name__ == "__main__":
    main()
