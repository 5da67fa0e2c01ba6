import { describe, expect, it } from 'vitest';
import { screenText, validIdNumber } from './moderation.ts';

describe('screening public text', () => {
  it('masks phone numbers and publishes', () => {
    const s = screenText('建议在小区门口加装路灯,有问题可以联系我 13812345678 或 0791-86661234。');
    expect(s.text).toContain('138****5678');
    expect(s.text).toContain('0791-****1234');
    expect(s.text).not.toContain('13812345678');
    expect(s.masked).toBe(true);
    expect(s.hold).toBeNull();
    expect(s.findings).toEqual([{ kind: 'phone', count: 2 }]);
  });

  it('masks ID numbers and holds for a moderator', () => {
    const id = '11010519491231002X';
    expect(validIdNumber(id)).toBe(true);
    const s = screenText(`邻居张三(身份证${id})经常半夜喧哗。`);
    expect(s.text).not.toContain('19491231');
    expect(s.text).toContain('110***********002X');
    expect(s.hold).toBe('personal_data');
  });

  it('holds abuse and spam', () => {
    expect(screenText('派出所都是一群狗官,什么都不管').hold).toBe('abuse');
    expect(screenText('低息贷款,加微信 abc12345 详聊').hold).toBe('spam');
    expect(screenText('好好好好好好好好好好好').hold).toBe('spam');
    expect(screenText('看看这个 http://example.com/x 网站').hold).toBe('spam');
  });

  it('leaves ordinary suggestions alone', () => {
    const t = '建议在江滨公园夜间增加巡逻频次,2025年以来那里发生过3起盗窃电动车案件。';
    const s = screenText(t);
    expect(s).toEqual({ text: t, findings: [], masked: false, hold: null });
  });

  it('masks bank card numbers only when the Luhn check passes', () => {
    expect(screenText('退款请打到 6222 0212 3456 7890 128 这张卡').text).toMatch(/6222 \*\*\*\* /);
    expect(screenText('订单号 1234567890123456 查询').findings).toEqual([]);
  });
});
