import { Button, Popup, Toast } from 'antd-mobile';
import { ScanningOutline } from 'antd-mobile-icons';
import { useRef, useState } from 'react';
import { useI18n } from '../i18n.ts';
import { scanBarcode } from '../scan.ts';

/** A scan button: the messenger's scanner, or a camera sheet that closes on the first code read. */
export function ScanButton({ onCode, label }: { onCode: (code: string) => void; label?: string }) {
  const { t } = useI18n();
  const video = useRef<HTMLVideoElement>(null);
  const [open, setOpen] = useState(false);
  const start = async () => {
    setOpen(true);
    try {
      // The popup mounts the video element on the next frame.
      await new Promise((r) => requestAnimationFrame(r));
      const code = await scanBarcode(() => video.current);
      if (code) onCode(code);
    } catch (err) {
      Toast.show({ content: t('scan.failed', { message: (err as Error).message }) });
    } finally {
      setOpen(false);
    }
  };
  const stop = () => video.current?.dispatchEvent(new Event('stopscan'));
  return (
    <>
      <Button size="small" onClick={() => void start()} aria-label={label ?? t('search.scan')}>
        <ScanningOutline /> {label ?? t('search.scan')}
      </Button>
      <Popup visible={open} onMaskClick={stop} bodyStyle={{ height: '60vh' }}>
        <video ref={video} style={{ width: '100%', height: '100%', objectFit: 'cover', background: '#000' }} muted playsInline />
      </Popup>
    </>
  );
}
