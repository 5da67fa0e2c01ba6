import { describe, expect, it } from 'vitest';
import { APPEAL_STATUSES } from '../appeal/types.ts';
import { excelSerialToMs, parseImportDate } from './dates.ts';
import { checkMapping, mapRow, parseAppealType, parseUrgency, suggestMapping, titleFrom, type ImportProfile } from './importRows.ts';
import { OPEN311_STATUS, parseFormBody, parseW3cDateTime, splitFormat, statusesFor, w3cDateTime } from './open311.ts';
import { escapeXml, toXml } from './xml.ts';

const at = (s: string) => Date.parse(s);

describe('import dates', () => {
  it('reads the formats hotline exports use, as Asia/Shanghai wall time', () => {
    const t = at('2026-10-03T14:05:00+08:00');
    for (const s of ['2026/10/3 14:05', '2026/10/03 14:05:00', '2026-10-03 14:05:00', '2026-10-03T14:05', '2026.10.3 14:05', '2026年10月3日 14时05分', '2026年10月3日 14:05', '20261003140500', '2026-10-03T06:05:00Z', '2026-10-03T14:05:00+08:00']) {
      expect(parseImportDate(s), s).toBe(t);
    }
    expect(parseImportDate('2026年10月3日')).toBe(at('2026-10-03T00:00:00+08:00'));
    expect(parseImportDate('20261003')).toBe(at('2026-10-03T00:00:00+08:00'));
    expect(parseImportDate('2026年10月3日 9点30分')).toBe(at('2026-10-03T09:30:00+08:00'));
  });

  it('reads Excel serial dates (1900 system) as numbers or text, and spreadsheet Date cells', () => {
    expect(excelSerialToMs(46298)).toBe(at('2026-10-03T00:00:00+08:00'));
    expect(parseImportDate(46298.586805555555)).toBe(at('2026-10-03T14:05:00+08:00'));
    expect(parseImportDate('46298.5')).toBe(at('2026-10-03T12:00:00+08:00'));
    expect(excelSerialToMs(25569)).toBe(at('1970-01-01T00:00:00+08:00'));
    // A reader gives the wall clock as if it were UTC.
    expect(parseImportDate(new Date(Date.UTC(2026, 9, 3, 14, 5)))).toBe(at('2026-10-03T14:05:00+08:00'));
  });

  it('refuses what is not a date', () => {
    for (const v of ['', '昨天', '2026-02-30', '2026/13/1 10:00', '2026-10-03 25:00', '123', 12, 99999999, null, undefined, {}]) {
      expect(Number.isNaN(parseImportDate(v)), String(v)).toBe(true);
    }
  });
});

describe('import rows', () => {
  const header = ['工单编号', '来电时间', '诉求类型', '诉求内容', '来电人', '联系电话', '所属区县', '备注'];
  const profile: ImportProfile = { source: 'hotline', mapping: suggestMapping(header) };

  it('recognises the usual Chinese headers (and ignores the rest)', () => {
    expect(profile.mapping).toEqual({ 工单编号: 'sourceId', 来电时间: 'createdAt', 诉求类型: 'type', 诉求内容: 'body', 来电人: 'citizenName', 联系电话: 'phone', 所属区县: 'region' });
    expect(suggestMapping(['工单号 ', '受理时间*', '反映内容', '联系方式'])).toEqual({ '工单号 ': 'sourceId', '受理时间*': 'createdAt', 反映内容: 'body', 联系方式: 'phone' });
    // A field is taken by its first column only.
    expect(suggestMapping(['内容', '诉求内容'])).toEqual({ 内容: 'body' });
  });

  it('checks a mapping: known fields, existing columns, no field twice, the required ones', () => {
    expect(checkMapping(header, profile.mapping)).toBeNull();
    expect(checkMapping(header, { ...profile.mapping, 备注: 'body' })?.en).toMatch(/Both/);
    expect(checkMapping(header, { ...profile.mapping, 无此列: 'title' })?.en).toMatch(/no column/);
    expect(checkMapping(header, { 工单编号: 'sourceId' })?.zh).toMatch(/来电时间/);
    expect(checkMapping(header, { ...profile.mapping, 备注: 'nonsense' })?.en).toMatch(/Unknown/);
  });

  it('maps a row, or says why not', () => {
    const now = at('2026-11-01T00:00:00+08:00');
    const ok = mapRow(header, ['A1', '2026/10/3 14:05', '投诉', ' 楼下噪音 ', '张三', '13800138000', '清江区', 'x'], profile, now);
    expect(ok.ok).toBe(true);
    if (ok.ok) {
      expect(ok.row).toMatchObject({ sourceId: 'A1', createdAt: at('2026-10-03T14:05:00+08:00'), type: 'complaint', body: '楼下噪音', citizenName: '张三', phone: '13800138000', region: '清江区' });
      const again = mapRow(header, ['A1', '2026-10-03 14:05:00', '投诉', '楼下噪音', '张三', '13800138000', '清江区', 'other note'], profile, now);
      expect(again.ok && again.hash).toBe(ok.hash); // same content → same hash, whatever the date format
    }
    const bad = (cells: string[]) => {
      const r = mapRow(header, cells, profile, now);
      return r.ok ? 'ok' : r.reason;
    };
    expect(bad(['', '2026/10/3', '投诉', '内容', '', '', '', ''])).toMatch(/缺少工单编号/);
    expect(bad(['A2', '', '投诉', '内容', '', '', '', ''])).toMatch(/缺少来电时间/);
    expect(bad(['A2', '上周', '投诉', '内容', '', '', '', ''])).toMatch(/无法识别/);
    expect(bad(['A2', '2026/12/1', '投诉', '内容', '', '', '', ''])).toMatch(/晚于当前时间/);
    expect(bad(['A2', '2026/10/1', '感谢', '内容', '', '', '', ''])).toMatch(/不在受理范围/);
    expect(bad(['A2', '2026/10/1', '投诉', '', '', '', '', ''])).toMatch(/缺少诉求内容/);
    expect(bad(['A2', '2026/10/1', '投诉', '很'.repeat(5001), '', '', '', ''])).toMatch(/5000/);
    expect(bad(['', '', '', '', '', '', '', ''])).toMatch(/空行/);
  });

  it('reads types and urgencies in Chinese or as ids', () => {
    expect(parseAppealType('矛盾纠纷')).toBe('dispute');
    expect(parseAppealType('意见建议')).toBe('suggestion');
    expect(parseAppealType('投诉类')).toBe('complaint');
    expect(parseAppealType('help')).toBe('help');
    expect(parseAppealType('表扬')).toBeNull();
    expect(parseUrgency('特急')).toBe('emergency');
    expect(parseUrgency('加急')).toBe('urgent');
    expect(parseUrgency('一般')).toBe('general');
    expect(parseUrgency('很急')).toBeNull();
  });

  it('makes a title from the content', () => {
    expect(titleFrom('楼下烧烤店噪音扰民。已经持续一周')).toBe('楼下烧烤店噪音扰民');
    expect(titleFrom('很'.repeat(40))).toBe(`${'很'.repeat(30)}…`);
  });
});

describe('Open311 vocabulary', () => {
  it('maps every MinBiao status to open or closed', () => {
    for (const s of APPEAL_STATUSES) expect(['open', 'closed']).toContain(OPEN311_STATUS[s]);
    expect(statusesFor('closed').sort()).toEqual(['closed', 'merged', 'redirected', 'unreasonable']);
    expect(OPEN311_STATUS.replied).toBe('open');
  });

  it('parses form bodies with attribute[code] and attribute[code][]', () => {
    const f = parseFormBody('api_key=k&service_code=001&attribute%5BWHISPAWN%5D=123456&attribute[WHISDORN]=COISL001&attribute[multi][]=a&attribute[multi][]=b&description=a+b%26c&email=smit333%40sfgov.edu');
    expect(f.fields).toEqual({ api_key: 'k', service_code: '001', description: 'a b&c', email: 'smit333@sfgov.edu' });
    expect(f.attributes).toEqual({ WHISPAWN: '123456', WHISDORN: 'COISL001', multi: ['a', 'b'] });
    expect(parseFormBody('a=1&a=2').repeated).toEqual(['a']);
    expect(parseFormBody('attribute[]=1&attribute[a][b]=2').malformed).toEqual(['attribute[]', 'attribute[a][b]']);
    expect(parseFormBody('').fields).toEqual({});
  });

  it('reads and writes W3C date-times', () => {
    expect(parseW3cDateTime('2010-01-01T00:00:00Z')).toBe(Date.UTC(2010, 0, 1));
    expect(parseW3cDateTime('1994-11-05T08:15:30-05:00')).toBe(Date.UTC(1994, 10, 5, 13, 15, 30));
    expect(parseW3cDateTime('2026-10-03T14:05:00+08:00')).toBe(at('2026-10-03T14:05:00+08:00'));
    expect(parseW3cDateTime('2026-10-03T14:05:00 08:00')).toBe(at('2026-10-03T14:05:00+08:00')); // '+' unencoded in a query
    expect(parseW3cDateTime('2026-10-03')).toBe(at('2026-10-03T00:00:00+08:00'));
    expect(parseW3cDateTime('2026-10-03T14:05:00.250Z')).toBe(Date.UTC(2026, 9, 3, 14, 5, 0, 250));
    for (const bad of ['2026-10-03T14:05:00', '2026-02-30', '2026-10-03T24:00:00Z', 'yesterday', '']) expect(Number.isNaN(parseW3cDateTime(bad)), bad).toBe(true);
    expect(w3cDateTime(at('2026-10-03T14:05:09+08:00'))).toBe('2026-10-03T14:05:09+08:00');
  });

  it('splits a resource and its format', () => {
    expect(splitFormat('services.json')).toEqual({ name: 'services', format: 'json' });
    expect(splitFormat('order.noise.xml')).toEqual({ name: 'order.noise', format: 'xml' });
    expect(splitFormat('order.noise')).toBeNull();
    expect(splitFormat('.json')).toBeNull();
  });
});

describe('XML', () => {
  it('escapes text and drops characters XML cannot carry', () => {
    expect(escapeXml(`a&b<c>"d"'e'`)).toBe('a&amp;b&lt;c&gt;&quot;d&quot;&apos;e&apos;');
    expect(escapeXml('x\u0000y\u0007z\tw\n')).toBe('xyz\tw\n');
    expect(escapeXml('中文😄')).toBe('中文😄');
    expect(escapeXml('bad\uD800pair')).toBe('badpair');
  });

  it('writes the Spark convention: lists as containers of singular items, null as empty', () => {
    const xml = toXml('service_requests', [{ service_request_id: 'MB1', token: null, lat: 28.5, ok: true }]);
    expect(xml).toBe('<?xml version="1.0" encoding="utf-8"?>\n<service_requests><request><service_request_id>MB1</service_request_id><token/><lat>28.5</lat><ok>true</ok></request></service_requests>\n');
    expect(toXml('service_definition', { service_code: 'x', attributes: [{ code: 'a', values: [{ key: 1, name: '<n>' }] }] })).toContain('<attributes><attribute><code>a</code><values><value><key>1</key><name>&lt;n&gt;</name></value></values></attribute></attributes>');
    expect(toXml('services', [])).toContain('<services/>');
    expect(() => toXml('things', [1])).toThrow(/item element/);
    expect(() => toXml('a b', 'x')).toThrow(/element name/);
  });
});
