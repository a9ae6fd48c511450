import { detectMessenger, scanCode } from './platform/messenger.ts';

/**
 * A barcode from the messenger's scanner inside a messenger, from the camera
 * elsewhere (the barcode library loads only when the camera is first used).
 * Null when the user cancels.
 */
export async function scanBarcode(video: () => HTMLVideoElement | null): Promise<string | null> {
  if (detectMessenger()) {
    const code = await scanCode();
    if (code !== null) return code;
  }
  const el = video();
  if (!el) return null;
  const { BrowserMultiFormatReader } = await import('@zxing/browser');
  const reader = new BrowserMultiFormatReader();
  return new Promise<string | null>((resolve, reject) => {
    reader
      // The back camera on a phone: the one that points at the label.
      .decodeFromConstraints({ video: { facingMode: 'environment' } }, el, (result, _err, controls) => {
        if (result) {
          controls.stop();
          resolve(result.getText());
        }
      })
      .then((controls) => {
        el.dataset.scanning = 'true';
        el.addEventListener('stopscan', () => {
          controls.stop();
          resolve(null);
        }, { once: true });
      })
      .catch(reject);
  });
}
