import { writeFileSync } from 'node:fs';

/*
 * A camera for the browser tests: Chromium plays a Y4M file as its fake
 * webcam (--use-file-for-fake-video-capture), and this writes one that shows
 * an EAN-13 barcode, drawn module by module as a printed label would be.
 */

const L = ['0001101', '0011001', '0010011', '0111101', '0100011', '0110001', '0101111', '0111011', '0110111', '0001011'];
const G = ['0100111', '0110011', '0011011', '0100001', '0011101', '0111001', '0000101', '0010001', '0001001', '0010111'];
const R = L.map((p) => [...p].map((b) => (b === '0' ? '1' : '0')).join(''));
/** Which of the left six digits use the G set, by the first digit (it is not drawn: the parity encodes it). */
const PARITY = ['LLLLLL', 'LLGLGG', 'LLGGLG', 'LLGGGL', 'LGLLGG', 'LGGLLG', 'LGGGLL', 'LGLGLG', 'LGLGGL', 'LGGLGL'];

/** The twelve digits with their check digit appended. */
export function ean13(twelve: string): string {
  if (!/^\d{12}$/.test(twelve)) throw new Error(`EAN-13 needs 12 digits, got ${twelve}`);
  const sum = [...twelve].reduce((s, d, i) => s + Number(d) * (i % 2 === 0 ? 1 : 3), 0);
  return twelve + String((10 - (sum % 10)) % 10);
}

/** The 95 modules of an EAN-13 code: 1 = bar. */
function modules(code: string): string {
  const d = [...code].map(Number);
  const parity = PARITY[d[0]!]!;
  const left = d.slice(1, 7).map((x, i) => (parity[i] === 'L' ? L[x]! : G[x]!)).join('');
  const right = d.slice(7).map((x) => R[x]!).join('');
  return `101${left}01010${right}101`;
}

/** Writes `frames` identical 640×480 frames showing `code` (13 digits) and returns the path. */
export function writeBarcodeVideo(path: string, code: string, frames = 10): string {
  const [w, h, scale] = [640, 480, 5];
  const bars = modules(code);
  const x0 = Math.floor((w - bars.length * scale) / 2);
  const y = Buffer.alloc(w * h, 235);
  for (let row = 100; row < 380; row++) {
    for (let m = 0; m < bars.length; m++) {
      if (bars[m] === '1') y.fill(16, row * w + x0 + m * scale, row * w + x0 + (m + 1) * scale);
    }
  }
  const chroma = Buffer.alloc((w / 2) * (h / 2) * 2, 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), y, chroma]);
  writeFileSync(path, Buffer.concat([Buffer.from(`YUV4MPEG2 W${w} H${h} F10:1 Ip A1:1 C420jpeg\n`), ...Array.from({ length: frames }, () => frame)]));
  return path;
}
