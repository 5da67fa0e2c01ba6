// The in-app inbox of staff: delivery is an insert keyed by the delivery key, so a retry is a no-op.
import { newId } from '../../../lib/ids.ts';
import { notifyRepo } from '../../../store/repositories/notify.ts';
import type { Db } from '../../../store/database.ts';
import type { OutgoingMessage, Provider } from './types.ts';

export class InboxProvider implements Provider {
  readonly channel = 'inbox' as const;
  readonly describe = 'in-app inbox';
  constructor(
    private readonly db: Db,
    private readonly now: () => number,
  ) {}

  async send(m: OutgoingMessage): Promise<{ ref: string | null }> {
    const at = this.now();
    await notifyRepo.deliverInbox(this.db, {
      id: newId(at),
      user_id: m.to,
      delivery_key: m.deliveryKey,
      created_at: at,
      template: m.template,
      title: m.title,
      body: m.body,
      appeal_id: m.appealId,
      read_at: null,
    });
    return { ref: null };
  }
}
