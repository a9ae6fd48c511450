/**
 * Text clean-up shared by every intent: what messengers add around a message
 * (mentions, full-width characters, punctuation) is not what the person said.
 */

const MENTION = /@\S+/g;
const EDGE_PUNCTUATION = /^[\s,.;:!?~，。；：！？、～…]+|[\s,.;:!?~，。；：！？、～…]+$/g;

/** NFKC turns full-width ASCII (ＡＢＣ１２３) and the U+2005 space messengers put after a mention into plain ASCII. */
export function normalise(text: string): string {
  return text.normalize('NFKC').replace(MENTION, ' ').replace(/[?？!！,，。；;]/g, ' ').replace(/\s+/g, ' ').replace(EDGE_PUNCTUATION, '').trim();
}

export const hasCjk = (s: string): boolean => /[\u3400-\u9fff]/.test(s);

const compiled = new Map<string, RegExp>();

/** Removes whole phrases (longest first), leaving a space so neighbours do not fuse. */
export function removePhrases(text: string, phrases: readonly string[], wholeWords: boolean): string {
  const key = `${wholeWords ? 'w' : 'p'}\u0000${phrases.join('\u0000')}`;
  let re = compiled.get(key);
  if (!re) {
    // One alternation, longest phrase first, compiled once per phrase list.
    const alternation = [...phrases]
      .sort((a, b) => b.length - a.length)
      .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('|');
    re = wholeWords ? new RegExp(`(?<![A-Za-z0-9-])(?:${alternation})(?![A-Za-z0-9-])`, 'gi') : new RegExp(`(?:${alternation})`, 'g');
    compiled.set(key, re);
  }
  return text.replace(re, ' ').replace(/\s+/g, ' ').trim();
}

/** Particles that only glue a question together when they stand at an edge: 在上海仓的 → (warehouse). */
export const stripParticles = (s: string): string => s.replace(/^[的在里是\s]+|[的在里呢吗啊呀了是\s]+$/g, '').trim();
