// Quick self-checks of a reply before it goes out, until the reply-quality service exists:
// a result, a basis, a next step, a courteous close. Advisory only.
import type { MessageKey } from '../lib/messages.ts';

export interface ReplyHint {
  key: MessageKey;
  ok: boolean;
}

export function replyHints(text: string): ReplyHint[] {
  const s = text.trim();
  return [
    { key: 'reply.hintLength', ok: s.length >= 60 },
    { key: 'reply.hintResult', ok: /(已|经).{0,30}(处理|调查|核实|核查|调解|协调|整改|查处|处罚|警告|责令|答复|办理|解决|落实|退还|修复)/.test(s) },
    { key: 'reply.hintBasis', ok: /《[^》]{2,40}》|依据|根据.{0,10}(规定|条例|法)|第.{1,5}条/.test(s) },
    { key: 'reply.hintNext', ok: /(如|若).{0,20}(仍|还|再|有).{0,20}(可|请|拨打|联系|反映)|后续|下一步|跟踪|回访/.test(s) },
    { key: 'reply.hintTone', ok: !/(不归我们管|与我们无关|自己解决|没办法)/.test(s) },
  ];
}
