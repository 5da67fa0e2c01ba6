// The monthly 通报 as a Word document, in the style of the bulletins a 政法委 circulates: a red
// masthead, the title in 小标宋, the body in 仿宋 三号 on a 28-point grid, 一、/(一) headings in
// 黑体/楷体, tables in 五号, charts as PNG images (drawn by src/domain/interop/png.ts), page numbers
// "— 1 —", the issuing unit and date at the end, and the method of the figures as an annex.
import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  ImageRun,
  LineRuleType,
  Packer,
  PageBreak,
  PageNumber,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  VerticalAlignTable,
  WidthType,
} from 'docx';
import { barChart, COLORS, encodePng } from '../../domain/interop/png.ts';
import type { FiguresView, RankingRow } from '../scoring/engine.ts';
import type { CaseStory, MonthlyReportData } from './report.ts';

const FANGSONG = '仿宋_GB2312';
const HEITI = '黑体';
const KAITI = '楷体_GB2312';
const XBS = '方正小标宋简体';
const RED = 'C00000';

const font = (name: string) => ({ ascii: name === FANGSONG ? 'Times New Roman' : name, eastAsia: name, hAnsi: name === FANGSONG ? 'Times New Roman' : name });

export const pct = (v: number | null | undefined, digits = 2) => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(digits)}%`);
export const idx = (v: number | null | undefined) => (v === null || v === undefined ? '—' : v.toFixed(1));
export const range = (iv: readonly [number, number] | null | undefined, scale = 1, digits = 1) => (iv ? `${(iv[0] * scale).toFixed(digits)}–${(iv[1] * scale).toFixed(digits)}` : '—');
export const ymdZh = (ms: number) => {
  const d = new Date(ms + 8 * 3600_000);
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
};
const md = (ms: number) => {
  const d = new Date(ms + 8 * 3600_000);
  return `${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
};

/** Full-width punctuation, as Chinese official documents are typeset (a colon between digits stays). */
export function zhPunct(s: string): string {
  return s.replace(/,/g, '，').replace(/;/g, '；').replace(/(?<!\d):(?!\d)/g, '：').replace(/\(/g, '（').replace(/\)/g, '）').replace(/\?/g, '？').replace(/!/g, '！');
}

function run(text: string, o: { font?: string; size?: number; bold?: boolean; color?: string } = {}): TextRun {
  return new TextRun({ text: zhPunct(text), font: font(o.font ?? FANGSONG), size: (o.size ?? 16) * 2, bold: o.bold ?? false, ...(o.color ? { color: o.color } : {}) });
}

/** Body text: 仿宋 三号, first line indented two characters, exact 28-point lines. */
function body(parts: (string | TextRun)[], o: { indent?: boolean; align?: (typeof AlignmentType)[keyof typeof AlignmentType] } = {}): Paragraph {
  return new Paragraph({
    children: parts.map((p) => (typeof p === 'string' ? run(p) : p)),
    indent: o.indent === false ? undefined : { firstLine: 640 },
    spacing: { line: 560, lineRule: LineRuleType.EXACT },
    alignment: o.align ?? AlignmentType.JUSTIFIED,
  });
}

const h1 = (text: string) => body([run(text, { font: HEITI })]);
const h2 = (text: string) => body([run(text, { font: KAITI })]);

function caption(text: string): Paragraph {
  return new Paragraph({ alignment: AlignmentType.CENTER, spacing: { before: 60, after: 120 }, children: [run(text, { size: 12, font: HEITI })] });
}

function cell(text: string, o: { header?: boolean; align?: 'left' | 'center' | 'right'; color?: string } = {}): TableCell {
  return new TableCell({
    verticalAlign: VerticalAlignTable.CENTER,
    ...(o.header ? { shading: { fill: 'D9D9D9' } } : {}),
    margins: { top: 40, bottom: 40, left: 80, right: 80 },
    children: [
      new Paragraph({
        alignment: o.align === 'left' ? AlignmentType.LEFT : o.align === 'right' ? AlignmentType.RIGHT : AlignmentType.CENTER,
        children: [run(text, { size: 10.5, bold: o.header ?? false, font: o.header ? HEITI : FANGSONG, ...(o.color ? { color: o.color } : {}) })],
      }),
    ],
  });
}

function table(header: string[], rows: string[][], align: ('left' | 'center' | 'right')[] = []): Table {
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      new TableRow({ tableHeader: true, children: header.map((h) => cell(h, { header: true })) }),
      ...rows.map((r) => new TableRow({ cantSplit: true, children: r.map((v, i) => cell(v, { align: align[i] ?? 'center' })) })),
    ],
  });
}

function image(png: Buffer, width: number, height: number, displayWidth = 560): Paragraph {
  const h = Math.round((height * displayWidth) / width);
  return new Paragraph({ alignment: AlignmentType.CENTER, spacing: { before: 120 }, children: [new ImageRun({ type: 'png', data: png, transformation: { width: displayWidth, height: h } })] });
}

function chart(spec: Parameters<typeof barChart>[0]): { png: Buffer; width: number; height: number } {
  const c = barChart(spec);
  return { png: encodePng(c), width: c.width, height: c.height };
}

const ratesLine = (f: FiguresView) =>
  `响应率${pct(f.response.value)},解决率${pct(f.resolution.value)},满意率${pct(f.satisfaction.value)},民标指数${idx(f.index.value)}${f.index.interval95 ? `(95%区间${range(f.index.interval95)})` : ''}`;

function change(cur: number | null, prev: number | null | undefined, unit: 'pt' | 'pp'): string {
  if (cur === null || prev === null || prev === undefined) return '';
  const d = unit === 'pp' ? (cur - prev) * 100 : cur - prev;
  if (Math.abs(d) < 0.05) return '与上月持平';
  return `较上月${d > 0 ? '上升' : '下降'}${Math.abs(d).toFixed(1)}${unit === 'pp' ? '个百分点' : '分'}`;
}

function rankingTable(rows: RankingRow[]): Table {
  return table(
    ['单位', '有效评价', '响应率', '解决率', '满意率', '民标指数(校正)', '95%区间', '名次区间'],
    rows.map((r) => [r.name, String(r.rated), pct(r.raw.response, 1), pct(r.raw.resolution, 1), pct(r.raw.satisfaction, 1), idx(r.index.estimate), range(r.index.interval95), `${r.index.rankInterval95[0]}–${r.index.rankInterval95[1]}`]),
    ['left'],
  );
}

function storyParagraph(c: CaseStory, i: number, good: boolean): Paragraph[] {
  const out: Paragraph[] = [];
  const face = ['', '非常不满意', '不满意', '基本满意', '满意', '非常满意'][c.level] ?? '';
  const timing = [c.hoursToContact !== null ? `受理后${c.hoursToContact}小时内联系群众` : '未记录联系时间', c.daysToReply !== null ? `${c.daysToReply}天答复` : '尚未答复'].join(',');
  out.push(
    body([
      run(`${i + 1}.${c.unitName}办理的“${c.categoryName}”类${c.typeLabel}诉求(${c.trackingCode})。`, { bold: true }),
      `${md(c.createdAt)}群众反映:${c.summary}。该单位${timing}${c.reply ? `,答复称:“${c.reply}”` : ''}。群众评价“${face}”,认为问题${c.solved}${c.comment ? `,并留言:“${c.comment}”` : ''}${c.reopened ? ',已按程序重办' : ''}。`,
    ]),
  );
  if (!good && c.level <= 2) out.push(body([`${c.unitName}应在1个工作日内联系群众、15个工作日内完成整改,并向市综治中心报告整改情况。`]));
  return out;
}

export async function renderDocx(d: MonthlyReportData): Promise<Buffer> {
  const [year, month] = d.period.label.split('-').map(Number) as [number, number];
  const title = `关于${year}年${month}月政法业绩“民标”评价情况的通报`;
  const f = d.figures;
  const prev = d.previous;
  const children: (Paragraph | Table)[] = [];

  // Masthead.
  children.push(new Paragraph({ alignment: AlignmentType.CENTER, spacing: { before: 200, after: 120 }, children: [run(`${d.scope.name}`, { font: XBS, size: 26, color: RED })] }));
  children.push(new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 120 }, children: [run('政法业绩“民标”评价通报', { font: XBS, size: 26, color: RED })] }));
  children.push(
    new Paragraph({
      alignment: AlignmentType.CENTER,
      border: { bottom: { color: RED, space: 6, style: BorderStyle.SINGLE, size: 18 } },
      spacing: { after: 360 },
      children: [run(`${year}年第${month}期`, { size: 16 })],
    }),
  );
  children.push(new Paragraph({ alignment: AlignmentType.CENTER, spacing: { before: 240, after: 360, line: 700, lineRule: LineRuleType.EXACT }, children: [run(title, { font: XBS, size: 22 })] }));
  children.push(body(['各有关单位:'], { indent: false }));
  children.push(
    body([
      `为深入贯彻以民意为导向的政法业绩“民标”体系,把群众的“表情包”作为检验政法工作的“晴雨表”,现将${year}年${month}月${d.scope.name}所辖政法单位接诉办理和群众评价情况通报如下。`,
    ]),
  );
  if (d.source.kind === 'snapshot') {
    children.push(body([`本通报各单位评价结果及排名依据${ymdZh(d.source.publishedAt)}发布冻结的评价快照(编号${d.source.id},内容哈希${d.source.contentHash.slice(0, 19)}…),发布后不再变动。`]));
  } else {
    children.push(body([`本月评价尚未发布冻结,本通报数据截至${ymdZh(d.source.asOf)}${d.complete ? '' : '(本月尚未结束,为阶段性数据)'},正式结果以发布的评价快照为准。`]));
  }

  // 一、总体情况
  children.push(h1('一、总体情况'));
  const faces = d.faces;
  const totalFaces = faces.reduce((n, x) => n + x.count, 0);
  const goodShare = totalFaces ? (faces.filter((x) => x.level >= 4).reduce((n, x) => n + x.count, 0) / totalFaces) : null;
  children.push(
    body([
      `本月共受理群众诉求${f.volume}件,参评${f.assessed}件,收到有效评价${f.rated}件(评价覆盖率${pct(f.ratingCoverage.value, 1)})。`,
      `${ratesLine(f)}`,
      prev && prev.index !== null && f.index.value !== null ? `,民标指数${change(f.index.value, prev.index, 'pt')}` : '',
      prev && prev.satisfaction !== null && f.satisfaction.value !== null ? `,满意率${change(f.satisfaction.value, prev.satisfaction, 'pp')}` : '',
      `。按期办结率${pct(f.onTimeClosure.value, 1)},回退率${pct(f.returnRate.value, 1)},重办率${pct(f.reopenRate.value, 1)},延期率${pct(f.extensionRate.value, 1)}。`,
    ]),
  );
  children.push(
    body([
      `群众“表情包”评价中,${faces.map((x) => `“${x.labelZh}”${x.count}件`).join('、')}${goodShare !== null ? `,满意以上占${pct(goodShare, 1)}` : ''}。`,
    ]),
  );
  if (totalFaces > 0) {
    const c = chart({ bars: faces.map((x) => ({ label: String(x.level), value: (x.count / totalFaces) * 100, color: x.level >= 4 ? COLORS.good : x.level <= 2 ? COLORS.bad : COLORS.bar })), format: (v) => `${v.toFixed(1)}%`, width: 640, height: 340 });
    children.push(image(c.png, c.width, c.height, 480));
    children.push(caption('图1 群众评价“表情包”分布(%)。5 非常满意 · 4 满意 · 3 基本满意 · 2 不满意 · 1 非常不满意'));
  }
  const trend = d.trend.filter((t) => t.index !== null);
  if (trend.length >= 2) {
    const c = chart({ bars: d.trend.map((t) => ({ label: String(Number(t.period.slice(5))), value: t.index, color: t.period === d.period.label ? COLORS.good : COLORS.bar })), max: 100, width: 760, height: 340 });
    children.push(image(c.png, c.width, c.height, 540));
    children.push(caption(`图2 近12个月民标指数(横轴为月份,${d.trend[0]!.period}至${d.trend.at(-1)!.period})`));
  }

  // 二、各单位评价情况
  children.push(h1('二、各地各单位评价情况'));
  if (d.children.length > 0) {
    children.push(body([`${d.scope.name}所辖各地区、各部门(含下级单位)本月评价情况如下表。`]));
    children.push(
      table(
        ['序号', '地区/部门', '诉求量', '有效评价', '响应率', '解决率', '满意率', '民标指数', '95%区间'],
        d.children.map((c, i) => [String(i + 1), c.name, String(c.figures.volume), String(c.figures.rated), pct(c.figures.response.value, 1), pct(c.figures.resolution.value, 1), pct(c.figures.satisfaction.value, 1), idx(c.figures.index.value), range(c.figures.index.interval95)]),
        ['center', 'left'],
      ),
    );
    const ranked = d.children.filter((c) => c.figures.index.value !== null);
    if (ranked.length >= 2) {
      const c = chart({ bars: d.children.map((c2, i) => ({ label: String(i + 1), value: c2.figures.index.value, interval: c2.figures.index.interval95 })), max: 100, horizontal: true, width: 900, reference: f.index.value });
      children.push(image(c.png, c.width, c.height, 560));
      children.push(caption('图3 各地区/部门民标指数及95%区间(编号同上表;虚线为全域水平)'));
    }
  }
  children.push(body(['各政法单位本月评价情况见下表(按同类单位分组,组内按民标指数排列;指数为原始值,未经校正)。']));
  children.push(
    table(
      ['单位', '同类组', '诉求量', '有效评价', '响应率', '解决率', '满意率', '民标指数'],
      d.units.map((u) => [u.name, u.peerLabel, String(u.figures.volume), String(u.figures.rated), pct(u.figures.response.value, 1), pct(u.figures.resolution.value, 1), pct(u.figures.satisfaction.value, 1), idx(u.figures.index.value)]),
      ['left', 'left'],
    ),
  );

  // 三、红黑榜
  children.push(h1('三、“红黑榜”'));
  children.push(
    body([
      `按照分级分类考评原则,红黑榜只在同类单位之间比较。各单位三率经经验贝叶斯方法向同类均值校正(评价件数少的单位校正多),再经${d.groups[0]?.draws ?? 1000}次模拟得到民标指数及名次的95%区间。只有与同类单位中位数存在显著差异(差值95%区间不含0)的单位列入红榜或黑榜;其余单位与中位数无显著差异,不予点名。`,
    ]),
  );
  let gi = 0;
  for (const g of d.groups) {
    gi++;
    children.push(h2(`(${'一二三四五六七八九十'[gi - 1] ?? gi})${g.labelZh}(共${g.units}个单位)`));
    if (g.red.length === 0 && g.black.length === 0) {
      children.push(body([`本月该组各单位与同类中位数均无显著差异,不设红黑榜。`]));
    }
    if (g.red.length > 0) {
      children.push(body([run('红榜:', { bold: true, color: RED }), g.red.map((r) => `${r.name}(民标指数${idx(r.index.estimate)},95%区间${range(r.index.interval95)})`).join(';'), '。']));
    }
    if (g.black.length > 0) {
      children.push(body([run('黑榜:', { bold: true }), g.black.map((r) => `${r.name}(民标指数${idx(r.index.estimate)},95%区间${range(r.index.interval95)})`).join(';'), '。']));
    }
    if (g.rows.length > 0) children.push(rankingTable(g.rows));
    if (g.unranked.length > 0) children.push(body([`本月未参与排名:${g.unranked.map((u) => `${u.name}(${u.reason === 'no-valid-ratings' ? '无有效评价' : '无响应数据'})`).join('、')}。`]));
  }

  // 四、热点问题和每月一题
  children.push(h1('四、热点问题和“每月一题”'));
  if (d.hotspots.length > 0) {
    children.push(body([`本月群众反映集中的热点问题${d.hotspots.length}个:`]));
    d.hotspots.forEach((hs, i) => children.push(body([`${i + 1}.${hs.label}。${hs.firstDay.slice(5).replace('-', '月')}日至${hs.lastDay.slice(5).replace('-', '月')}日共${hs.messages}件,涉及群众${hs.citizens}人${hs.region ? `,集中在${hs.region}` : ''}${hs.keywords.length ? `(关键词:${hs.keywords.join('、')})` : ''}。`])));
  } else {
    children.push(body(['本月未发现3件以上同类集中反映的热点问题。']));
  }
  if (d.keyProblem) {
    const k = d.keyProblem;
    if (k.suggested) children.push(body([run('“每月一题”建议:', { bold: true }), `${k.title}。${k.note ?? ''}`]));
    else {
      children.push(
        body([
          run('本月“每月一题”:', { bold: true }),
          `${k.title}${k.setBy ? `(${k.setBy}确定)` : ''}。${k.note ?? ''}`,
          k.figures ? `本月该类诉求${k.figures.volume}件,${ratesLine(k.figures)}。` : '',
        ]),
      );
    }
  } else {
    children.push(body(['本月未确定“每月一题”。']));
  }

  // 五、超期和重办
  children.push(h1('五、超期和重办情况'));
  children.push(
    body([
      `本月办理超期${d.overdue.count}件${d.overdue.byUnit.length ? `,其中${d.overdue.byUnit.slice(0, 5).map((u) => `${u.name}${u.count}件`).join('、')}` : ''};重办${d.reopened.count}件${d.reopened.byUnit.length ? `,其中${d.reopened.byUnit.slice(0, 5).map((u) => `${u.name}${u.count}件`).join('、')}` : ''}。`,
    ]),
  );
  if (d.overdue.cases.length > 0) {
    children.push(h2('(一)超期时间较长的诉求'));
    children.push(
      table(
        ['查询码', '承办单位', '诉求分类', '受理日期', '办理时限', '超期天数', '诉求摘要'],
        d.overdue.cases.slice(0, 10).map((c) => [c.trackingCode, c.unitName, c.categoryName, md(c.createdAt), md(c.dueAt), c.measure.toFixed(1), c.summary]),
        ['center', 'left', 'left', 'center', 'center', 'right', 'left'],
      ),
    );
  }
  if (d.reopened.cases.length > 0) {
    children.push(h2(`(${d.overdue.cases.length > 0 ? '二' : '一'})重办的诉求`));
    children.push(
      table(
        ['查询码', '承办单位', '诉求分类', '重办日期', '轮次', '重办原因', '诉求摘要'],
        d.reopened.cases.slice(0, 10).map((c) => [c.trackingCode, c.unitName, c.categoryName, md(c.eventAt), String(c.measure), c.reason ?? '', c.summary]),
        ['center', 'left', 'left', 'center', 'center', 'left', 'left'],
      ),
    );
  }

  // 六、典型案例
  children.push(h1('六、典型案例'));
  children.push(body(['以下案例已隐去群众姓名、电话、住址等个人信息。']));
  children.push(h2('(一)正面典型'));
  if (d.good.length === 0) children.push(body(['本月暂无。']));
  d.good.forEach((c, i) => children.push(...storyParagraph(c, i, true)));
  children.push(h2('(二)反面典型'));
  if (d.bad.length === 0) children.push(body(['本月暂无。']));
  d.bad.forEach((c, i) => children.push(...storyParagraph(c, i, false)));

  // 七、工作要求
  children.push(h1('七、工作要求'));
  children.push(body(['(一)坚持以群众评判为标准。各单位要对照本通报查找差距,对列入黑榜的单位,主要负责同志要亲自过问,逐件分析群众不满意的原因,限期整改。']));
  children.push(body(['(二)紧盯超期和重办诉求。对超期诉求要逐件督办、限时办结;对重办诉求要回访到人,做到问题不解决不销号。']));
  children.push(body([`(三)聚焦热点问题源头治理。${d.keyProblem && !d.keyProblem.suggested ? `围绕“${d.keyProblem.title}”这一“每月一题”,` : ''}由牵头单位会同有关部门研究源头治理措施,下月通报落实情况。`]));

  // Signature and date.
  children.push(new Paragraph({ spacing: { before: 600 }, alignment: AlignmentType.RIGHT, indent: { right: 640 }, children: [run(d.scope.name)] }));
  children.push(new Paragraph({ alignment: AlignmentType.RIGHT, indent: { right: 640 }, children: [run(ymdZh(d.generatedAt))] }));

  // Annex: method.
  children.push(new Paragraph({ children: [new PageBreak()] }));
  children.push(body([run('附件', { font: HEITI })], { indent: false }));
  children.push(new Paragraph({ alignment: AlignmentType.CENTER, spacing: { before: 240, after: 240 }, children: [run('“民标”评价计算口径', { font: XBS, size: 22 })] }));
  const w = d.weights;
  children.push(body([`1.响应率:首次联系群众在响应时限内的诉求占比。2.解决率:群众评价“已解决”计1、“部分解决”计0.5、“未解决”计0的平均值。3.满意率:“非常满意”“满意”计1、“基本满意”计0.9、其余计0的平均值。`]));
  children.push(body([`4.民标指数=100×(${w.response}×响应率+${w.resolution}×解决率+${w.satisfaction}×满意率)。依法引导至诉讼、仲裁、信访、行政复议等法定途径的诉求,经审批认定的不合理诉求,以及申诉复核成立的评价,不计入评价。`]));
  children.push(body(['5.诉求按办结(或当前轮次开始)时间归入月份。各单位排名仅在同类单位(同类型、同层级)之间进行;民标指数校正值和名次区间由经验贝叶斯收缩和模拟得出,区间为95%。']));

  const doc = new Document({
    creator: '民标 MinBiao',
    title,
    description: `${d.scope.name} ${d.period.label} 政法业绩“民标”评价通报`,
    styles: { default: { document: { run: { font: font(FANGSONG), size: 32 } } } },
    sections: [
      {
        properties: { page: { size: { width: 11906, height: 16838 }, margin: { top: 2098, bottom: 1984, left: 1588, right: 1474, footer: 992 } } },
        footers: {
          default: new Footer({ children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'], font: font('宋体'), size: 28 })] })] }),
        },
        children,
      },
    ],
  });
  return Packer.toBuffer(doc);
}
