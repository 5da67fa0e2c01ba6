import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { generalIdf, segmentWords } from './segment.ts';
import { crossValidate, evaluate, routeByConfidence, scorePredictions, stratifiedFolds, TextClassifier, type LabeledText } from './classifier.ts';

// jieba and its IDF table load once per worker (≈1 s, longer on a busy machine): not part of any test.
beforeAll(() => {
  segmentWords('预热分词');
  generalIdf('预热');
}, 60_000);


// Small hand-written training set: three categories of a 政法 intake.
const NOISE = [
  '小区楼下的烧烤店每天营业到凌晨两点，噪音太大，根本睡不着觉',
  '隔壁工地夜间施工，电钻声一直响到半夜，严重扰民',
  '楼上邻居每天晚上跳绳拍球，噪音扰民，沟通多次无果',
  '广场舞音响声音太大，早上六点就开始放，影响老人休息',
  '酒吧门口每晚喧哗吵闹，音乐声震得窗户都响',
  '夜宵摊半夜猜拳喝酒，吵得整栋楼的人都睡不好',
  '装修公司周末一大早就开始砸墙，噪声扰民',
  'KTV包厢隔音太差，唱歌声音传到居民楼里',
  '货车半夜在小区门口装卸货物，声音很大',
  '商铺门口的大喇叭循环播放促销广告，吵得人心烦',
  '麻将馆通宵营业，洗牌声和吵闹声影响休息',
  '工厂的机器整夜运转，轰鸣声让附近居民无法入睡',
];
const FRAUD = [
  '接到自称公安局的电话，说我涉嫌洗钱，让我把钱转到安全账户',
  '网上刷单返利被骗了三万元，对方已经把我拉黑',
  '冒充快递客服说包裹丢了要理赔，骗我开通借款转账',
  '有人冒充我的领导加微信，让我给他转账两万块',
  '投资理财平台突然无法提现，客服失联，怀疑是诈骗',
  '收到中奖短信，要先交手续费才能领奖，交了钱对方不见了',
  '网恋对象以投资为名骗走我十几万元积蓄',
  '冒充银行工作人员说我的信用卡被盗刷，骗取验证码',
  '游戏账号交易被骗，付款后卖家拉黑',
  '假冒客服说要注销校园贷，否则影响征信，骗我贷款转账',
  '网购退款诈骗，对方发来链接让我填写银行卡密码',
  '有人打电话说我医保卡异常，要求配合调查并转账',
];
const WAGES = [
  '包工头拖欠我们农民工工资半年了，一直不给结算',
  '公司已经三个月没发工资，老板说资金周转困难',
  '辞职后单位拒绝支付最后一个月的工资和加班费',
  '工地结束后老板跑路，工人的血汗钱讨不回来',
  '餐馆老板无故克扣服务员工资，还不签劳动合同',
  '装修公司拖欠工人工资，多次催讨没有结果',
  '快递公司拖欠快递员派件费，站点负责人失联',
  '工厂倒闭拖欠员工工资和社保，老板联系不上',
  '劳务派遣公司扣押工资，说要干满一年才发',
  '培训机构拖欠老师两个月课时费，负责人一直推脱',
  '物业公司拖欠保安和保洁的工资，已经两个月了',
  '建筑公司欠我们班组的工程款和工资，年底都没结',
];

const ROWS: LabeledText[] = [
  ...NOISE.map((text) => ({ text, label: '噪音扰民' })),
  ...FRAUD.map((text) => ({ text, label: '电信网络诈骗' })),
  ...WAGES.map((text) => ({ text, label: '劳动争议与欠薪' })),
];
const OPTS = { hashBits: 16, calibrationFolds: 3, seed: 7 };

describe('TextClassifier', () => {
  const model = TextClassifier.train(ROWS, OPTS);

  it('classifies unseen appeals of each category', () => {
    expect(model.predict('楼下饭店排风机噪音很大，晚上吵得睡不着').label).toBe('噪音扰民');
    expect(model.predict('有人冒充公检法打电话要我转账到安全账户').label).toBe('电信网络诈骗');
    expect(model.predict('老板拖欠工资三个月不发，工人讨薪无门').label).toBe('劳动争议与欠薪');
  });

  it('accepts already segmented text', () => {
    expect(model.predict('老板 拖欠 工资 三个月 不发').label).toBe('劳动争议与欠薪');
  });

  it('returns probabilities that sum to 1, most probable first', () => {
    const p = model.predict('工地晚上施工太吵了');
    const sum = p.ranked.reduce((a, r) => a + r.probability, 0);
    expect(sum).toBeCloseTo(1, 6);
    expect(p.ranked[0]!.label).toBe(p.label);
    expect(p.confidence).toBe(p.ranked[0]!.probability);
    expect(model.calibrationTemperature).toBeGreaterThan(0);
  });

  it('routes low-confidence predictions to triage', () => {
    const p = model.predict('你好');
    expect(routeByConfidence(p, 0.99)).toBe('triage');
    expect(routeByConfidence({ ...p, confidence: 0.995 }, 0.99)).toBe('auto');
  });

  it('is deterministic for a seed and survives a JSON round trip', () => {
    const again = TextClassifier.train(ROWS, OPTS);
    expect(JSON.stringify(again.toJSON())).toBe(JSON.stringify(model.toJSON()));
    const loaded = TextClassifier.fromJSON(JSON.parse(JSON.stringify(model.toJSON())));
    for (const t of ['半夜装修电钻声', '刷单被骗', '欠薪']) expect(loaded.predict(t)).toEqual(model.predict(t));
  });

  it('rejects a corrupt model', () => {
    expect(() => TextClassifier.fromJSON({ format: 'x' })).toThrow();
    const j = model.toJSON();
    expect(() => TextClassifier.fromJSON({ ...j, bias: [1] })).toThrow();
  });

  it('learns a dispatcher correction and a new category incrementally', () => {
    const m = TextClassifier.fromJSON(model.toJSON());
    const extra = [
      { text: '邻居家的狗天天在楼道里大小便，沟通无果', label: '邻里纠纷' },
      { text: '邻居占用公共楼道堆放杂物，多次协商不成', label: '邻里纠纷' },
      { text: '邻居装修把我家墙面弄裂了，不肯赔偿', label: '邻里纠纷' },
    ];
    m.update(extra, 0.5, 5);
    expect(m.labels).toContain('邻里纠纷');
    expect(m.predict('邻居占用楼道堆放杂物不肯清理').label).toBe('邻里纠纷');
  });

  it('cross-validates with per-class figures and a confusion matrix', () => {
    const r = crossValidate(ROWS, 3, 11, { hashBits: 16, calibrationFolds: 0 });
    expect(r.accuracy).toBeGreaterThan(0.8);
    expect(r.macroF1).toBeGreaterThan(0.8);
    expect(Object.keys(r.perClass).sort()).toEqual(['劳动争议与欠薪', '噪音扰民', '电信网络诈骗']);
    expect(r.confusion.matrix.flat().reduce((a, b) => a + b, 0)).toBe(ROWS.length);
    expect(r.foldMacroF1).toHaveLength(3);
    const e = evaluate(model, ROWS);
    expect(e.accuracy).toBe(1);
  });

  it('keeps duplicated texts in one fold and stratifies by label', () => {
    const labels = ['a', 'a', 'a', 'b', 'b', 'b'];
    const texts = ['x', 'x', 'y', 'z', 'w', 'v'];
    const f = stratifiedFolds(labels, 2, 1, texts);
    expect(f[0]).toBe(f[1]);
    const b = [3, 4, 5].map((i) => f[i]);
    expect(new Set(b).size).toBe(2);
  });

  it('scores predictions exactly', () => {
    const r = scorePredictions(['a', 'a', 'b', 'b'], ['a', 'b', 'b', 'b'], [0.9, 0.6, 0.8, 0.95]);
    expect(r.accuracy).toBe(0.75);
    expect(r.perClass.a).toEqual({ precision: 1, recall: 0.5, f1: 2 / 3, support: 2 });
    expect(r.perClass.b!.precision).toBeCloseTo(2 / 3);
    expect(r.confusion.matrix).toEqual([
      [1, 1],
      [0, 2],
    ]);
    expect(r.coverage.find((c) => c.threshold === 0.9)).toEqual({ threshold: 0.9, coverage: 0.5, accuracy: 1 });
  });

  it('never throws when predicting hostile input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => {
        const p = model.predict(s);
        expect(p.confidence).toBeGreaterThanOrEqual(0);
        expect(p.confidence).toBeLessThanOrEqual(1);
      }),
      { numRuns: 100 },
    );
    expect(model.predict('').ranked).toHaveLength(3);
    expect(model.predict('欠薪'.repeat(10000)).label).toBe('劳动争议与欠薪');
  });
});
