import { App, Button } from 'antd';
import { CopyOutlined } from '@ant-design/icons';
import { useI18n } from '../lib/i18n.tsx';

async function copy(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    /* fall back below */
  }
  const ta = document.createElement('textarea');
  ta.value = text;
  ta.setAttribute('readonly', '');
  ta.style.position = 'fixed';
  ta.style.opacity = '0';
  document.body.appendChild(ta);
  ta.select();
  let ok = false;
  try {
    ok = document.execCommand('copy');
  } catch {
    ok = false;
  }
  document.body.removeChild(ta);
  return ok;
}

export function CopyButton({ text, label }: { text: string; label?: string }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  return (
    <Button
      icon={<CopyOutlined />}
      onClick={async () => {
        if (await copy(text)) void message.success(t('common.copied'));
        else void message.warning(t('common.copyFailed'));
      }}
    >
      {label ?? t('common.copy')}
    </Button>
  );
}
