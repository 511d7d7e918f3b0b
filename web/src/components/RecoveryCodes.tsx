import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { downloadFile } from '../download';

/** The ten one-time codes, shown once, with copy and download. */
export function RecoveryCodes({ codes }: { codes: string[] }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  const text = `${codes.join('\n')}\n`;
  const download = () => downloadFile(new Blob([text], { type: 'text/plain' }), 'connectprof-recovery-codes.txt');
  return (
    <div className="recovery-codes">
      <h3>{t('recoveryCodes.title')}</h3>
      <p>{t('recoveryCodes.intro')}</p>
      <ul aria-label={t('recoveryCodes.list')}>
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ul>
      <div className="actions">
        <button
          type="button"
          className="secondary"
          onClick={() => void navigator.clipboard.writeText(text).then(() => setCopied(true))}
        >
          {copied ? t('common.copied') : t('common.copy')}
        </button>
        <button type="button" className="secondary" onClick={download}>
          {t('common.download')}
        </button>
      </div>
    </div>
  );
}
