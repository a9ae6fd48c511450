import { pinyin } from 'pinyin-pro';

/**
 * Lowercase pinyin initials of a name, ASCII letters and digits kept:
 * 螺丝M6 → lsm6, 六角螺栓 M8×30 → ljlsm830. Chat users type these instead of
 * switching input methods; items store them so a prefix search finds them.
 */
export function initialsOf(name: string): string {
  return pinyin(name, { pattern: 'first', toneType: 'none', type: 'array' })
    .join('')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}
