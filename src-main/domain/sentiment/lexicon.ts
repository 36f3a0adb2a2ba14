// The project's own finance lexicon for headline sentiment: terms and phrases a market reader takes as good or bad news
// for a stock, with weights, and the words that mark uncertainty or negation. Written for this app from scratch (no
// entry copied from Loughran-McDonald, whose lists are free for academic use only, nor from Financial PhraseBank,
// CC BY-NC-SA), so it ships under the app's own licence. Why each choice: docs/macro-news.md.
//
// Conventions: lower case; a phrase is words separated by single spaces and matches those words in a row (longest
// phrase first); inflected forms are listed one by one (no stemming: "cut" and "cuts" are both here, "cute" is not).
// Weights: 2 a decisive event (an earnings beat, a downgrade, a guidance cut, fraud), 1 an ordinary move or a
// milder event, fractions in between.

export const LEXICON_NAME = 'Quant Claude finance lexicon';
export const LEXICON_VERSION = 1;

export const POSITIVE: Readonly<Record<string, number>> = {
  // Results against expectations
  'beats estimates': 2, 'beat estimates': 2, 'beats expectations': 2, 'beat expectations': 2, 'tops estimates': 2, 'topped estimates': 2,
  'tops expectations': 2, 'above estimates': 1.5, 'above expectations': 1.5, 'better than expected': 1.5, 'better-than-expected': 1.5,
  'beats': 1.5, 'beat': 1.5, 'tops': 1, 'topped': 1, 'exceeds': 1, 'exceeded': 1, 'surpasses': 1, 'surpassed': 1,
  'record revenue': 2, 'record sales': 2, 'record profit': 2, 'record earnings': 2, 'record quarter': 1.5, 'record high': 1.5,
  // Guidance, capital returns
  'raises guidance': 2, 'raised guidance': 2, 'lifts guidance': 2, 'boosts guidance': 2, 'raises outlook': 2, 'raised outlook': 2,
  'raises forecast': 2, 'raised forecast': 2, 'guidance raised': 2, 'upbeat outlook': 1.5, 'strong outlook': 1.5, 'upbeat': 1,
  'raises dividend': 1.5, 'dividend increase': 1.5, 'hikes dividend': 1.5, 'buyback': 1, 'buybacks': 1, 'share repurchase': 1,
  // Analysts
  'upgrade': 2, 'upgrades': 2, 'upgraded': 2, 'price target raised': 1.5, 'raises price target': 1.5, 'outperform': 1, 'overweight': 1,
  // Price and business moves
  'surge': 1.5, 'surges': 1.5, 'surged': 1.5, 'soar': 1.5, 'soars': 1.5, 'soared': 1.5, 'jump': 1, 'jumps': 1, 'jumped': 1,
  'rally': 1, 'rallies': 1, 'rallied': 1, 'rise': 1, 'rises': 1, 'rose': 1, 'gain': 1, 'gains': 1, 'gained': 1, 'climb': 1, 'climbs': 1,
  'climbed': 1, 'lifts': 1, 'lifted': 1, 'rebound': 1, 'rebounds': 1, 'growth': 0.5, 'profit': 0.5, 'profitable': 1, 'strong': 0.5,
  'wins': 1, 'won': 1, 'win': 1, 'approval': 1.5, 'approved': 1.5, 'approves': 1.5, 'breakthrough': 1.5, 'partnership': 0.5,
  'expands': 0.5, 'expansion': 0.5, 'acquire': 0.5, 'outperforms': 1, 'outperformed': 1, 'record': 1, 'recovery': 1,
};

export const NEGATIVE: Readonly<Record<string, number>> = {
  // Results against expectations
  'misses estimates': -2, 'missed estimates': -2, 'misses expectations': -2, 'missed expectations': -2, 'below estimates': -1.5,
  'below expectations': -1.5, 'worse than expected': -1.5, 'worse-than-expected': -1.5, 'misses': -2, 'missed': -1.5, 'miss': -1.5,
  'falls short': -1.5, 'fell short': -1.5,
  // Guidance, capital
  'guidance cut': -2, 'cuts guidance': -2, 'cut guidance': -2, 'lowers guidance': -2, 'lowered guidance': -2, 'slashes guidance': -2,
  'cuts outlook': -2, 'lowers outlook': -2, 'cuts forecast': -2, 'lowers forecast': -2, 'weak outlook': -1.5, 'profit warning': -2,
  'dividend cut': -2, 'cuts dividend': -2, 'suspends dividend': -2, 'dilution': -1, 'writedown': -1.5, 'write-down': -1.5, 'impairment': -1.5,
  // Analysts
  'downgrade': -2, 'downgrades': -2, 'downgraded': -2, 'price target cut': -1.5, 'cuts price target': -1.5, 'underperform': -1, 'underweight': -1,
  // Price and business moves
  'plunge': -1.5, 'plunges': -1.5, 'plunged': -1.5, 'tumble': -1.5, 'tumbles': -1.5, 'tumbled': -1.5, 'sink': -1, 'sinks': -1, 'sank': -1,
  'fall': -1, 'falls': -1, 'fell': -1, 'drop': -1, 'drops': -1, 'dropped': -1, 'decline': -1, 'declines': -1, 'declined': -1,
  'slide': -1, 'slides': -1, 'slid': -1, 'slump': -1.5, 'slumps': -1.5, 'slowdown': -1, 'loss': -1, 'losses': -1, 'weak': -1, 'weaker': -1,
  'layoffs': -1, 'job cuts': -1, 'recall': -1.5, 'recalls': -1.5, 'lawsuit': -1, 'sued': -1, 'probe': -1, 'investigation': -1,
  'fraud': -2, 'bankruptcy': -2, 'default': -1.5, 'delisted': -2, 'halted': -1, 'fined': -1, 'penalty': -1, 'breach': -1,
  'warns': -1, 'warning': -1, 'resigns': -0.5, 'underperforms': -1, 'shortfall': -1.5, 'selloff': -1.5, 'sell-off': -1.5,
};

/** Words that make a headline uncertain (scored separately: they neither raise nor lower the polarity). */
export const UNCERTAINTY: ReadonlySet<string> = new Set([
  'uncertainty', 'uncertain', 'unclear', 'may', 'might', 'could', 'possible', 'possibly', 'volatile', 'volatility', 'risk', 'risks',
  'weighs', 'considering', 'considers', 'mulls', 'rumor', 'rumour', 'speculation', 'unconfirmed', 'doubt', 'doubts', 'pending', 'if',
]);

/** Words that invert what follows within the negation window ("does not expect a slowdown"). */
export const NEGATORS: ReadonlySet<string> = new Set([
  'not', 'no', 'never', 'without', 'nor', 'neither', "isn't", "aren't", "wasn't", "weren't", "doesn't", "don't", "didn't",
  "won't", "can't", 'cannot', "hasn't", "haven't", 'avoids', 'avoided', 'denies', 'denied', 'rules out', 'fails to', 'failed to',
]);

/** Tokens after a negator that it still reaches; a comma, a colon or a full stop ends it sooner. */
export const NEGATION_WINDOW = 3;
/** A negated term counts this fraction of its weight, with the sign turned ("not a loss" is good, but not as good as a gain). */
export const NEGATION_FACTOR = 0.5;
