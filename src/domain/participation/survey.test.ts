import { describe, expect, it } from 'vitest';
import { checkAnswers, checkQuestionnaire, scoreAnswers, standardQuestionnaire, topTwoValues } from './survey.ts';
import { checkQuestionAnswers, canMoveTask, phaseOf, taskOverdue, tallyQuestions, type ConsultationQuestion } from './consultation.ts';

describe('the standard questionnaire', () => {
  const q = standardQuestionnaire();
  it('is valid and has the three security and four satisfaction questions and the open question', () => {
    expect(checkQuestionnaire(q)).toBeNull();
    expect(q.questions.filter((x) => x.dimension === 'security')).toHaveLength(3);
    expect(q.questions.filter((x) => x.dimension === 'satisfaction')).toHaveLength(4);
    expect(q.questions.find((x) => x.id === 'open_problem')?.kind).toBe('text');
  });

  it('scores a respondent: mean of the scored answers, "don’t know" left out', () => {
    const answers = { sec_neighbourhood: '5', sec_night: '3', sec_fraud: '0', sat_police: '4', sat_court: '0', sat_procuratorate: '0', sat_justice: '2' };
    const r = checkAnswers(q, answers);
    expect(r.ok).toBe(true);
    const s = scoreAnswers(q, answers);
    // security: (100 + 50)/2 = 75; satisfaction: (75 + 25)/2 = 50; overall (100+50+75+25)/4 = 62.5
    expect(s).toMatchObject({ security: 75, satisfaction: 50, overall: 62.5 });
    expect(s.items.sec_fraud).toBeNull();
  });

  it('refuses missing required answers, unknown questions and invalid options', () => {
    expect(checkAnswers(q, { sec_neighbourhood: '5' }).ok).toBe(false);
    expect(checkAnswers(q, { nope: '1' }).ok).toBe(false);
    const all = Object.fromEntries(q.questions.filter((x) => x.kind === 'scale').map((x) => [x.id, '9']));
    expect(checkAnswers(q, all).ok).toBe(false);
  });

  it('top-two box', () => {
    expect([...topTwoValues(q.questions[0]!)].sort()).toEqual(['4', '5']);
  });
});

describe('consultations', () => {
  const qs: ConsultationQuestion[] = [
    { id: 'where', kind: 'single', text: '哪里', required: true, options: ['公园', '学校'] },
    { id: 'what', kind: 'multi', text: '什么', required: false, options: ['巡逻', '路灯', '监控'] },
  ];
  it('checks and tallies structured answers', () => {
    expect(checkQuestionAnswers(qs, { where: '公园', what: ['巡逻', '路灯'] }).ok).toBe(true);
    expect(checkQuestionAnswers(qs, { what: ['巡逻'] }).ok).toBe(false);
    expect(checkQuestionAnswers(qs, { where: '医院' }).ok).toBe(false);
    const t = tallyQuestions(qs, [{ where: '公园', what: ['巡逻'] }, { where: '公园' }, { where: '学校', what: ['巡逻', '监控'] }]);
    expect(t[0]!.options).toEqual([{ option: '公园', count: 2 }, { option: '学校', count: 1 }]);
    expect(t[1]!.options).toEqual([{ option: '巡逻', count: 2 }, { option: '路灯', count: 0 }, { option: '监控', count: 1 }]);
    expect(t[1]!.answered).toBe(2);
  });
  it('phases and tasks', () => {
    expect(phaseOf({ published: false, opensAt: 0, closesAt: 10 }, 5)).toBe('draft');
    expect(phaseOf({ published: true, opensAt: 3, closesAt: 10 }, 1)).toBe('upcoming');
    expect(phaseOf({ published: true, opensAt: 3, closesAt: 10 }, 5)).toBe('open');
    expect(phaseOf({ published: true, opensAt: 3, closesAt: 10 }, 10)).toBe('closed');
    expect(taskOverdue({ status: 'open', dueAt: 10, doneAt: null }, 11)).toBe(true);
    expect(taskOverdue({ status: 'done', dueAt: 10, doneAt: 9 }, 20)).toBe(false);
    expect(canMoveTask('done', 'open')).toBe(false);
    expect(canMoveTask('open', 'in_progress')).toBe(true);
  });
});
