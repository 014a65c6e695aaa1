/**
 * Writes examples/conversations.csv: synthetic client/therapist exchanges written for this project
 * (no real people, no real sessions). Deterministic: the same seed gives the same file.
 * Run: npx tsx examples/generate-conversations.ts [rows]
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';

interface Topic {
  readonly client: readonly string[];
  readonly details: readonly string[];
  readonly therapist: readonly string[];
}

const TOPICS: readonly Topic[] = [
  {
    client: [
      "I can't sleep before big meetings at work. I lie awake going over every slide.",
      'Ever since the reorganisation I dread Mondays, my chest gets tight on Sunday evening.',
    ],
    details: [
      'My manager said "you seem distracted" last week and now I keep replaying it.',
      'I tried chamomile tea, melatonin, podcasts, nothing works.',
      'I end up checking email at 2am, just in case.',
    ],
    therapist: [
      "It sounds like your mind is trying to protect you by rehearsing, but it's costing you rest. Could we try a short wind-down routine and a fixed \"worry time\" earlier in the evening?",
      'That tight feeling on Sunday makes sense given how uncertain things are. What would it be like to write down the three things you fear most about Monday, and what you would do if each happened?',
    ],
  },
  {
    client: [
      'My father died in March and everyone expects me to be "over it" by now.',
      "It's been eight months since my mum passed. Some days I still set out two cups.",
    ],
    details: [
      'My sister says I should sell the house, but I am not ready.',
      "At work I'm fine, then I hear a song in the supermarket and I have to leave.",
      'I feel guilty when I laugh at something, like I am forgetting her.',
    ],
    therapist: [
      "Grief doesn't keep to anyone else's timetable. Laughing doesn't mean forgetting; it can sit right next to missing someone. What helps you feel connected to her?",
      'Setting out two cups sounds like a habit of love. There is no deadline here. Would it help to talk about what you miss most, in your own words?',
    ],
  },
  {
    client: [
      'My partner and I argue about money constantly, it always ends with one of us slamming a door.',
      'We keep having the same fight about chores, word for word, like a script.',
    ],
    details: [
      'Last night he said "you never listen" and I said "you never do anything", and then silence for two days.',
      "I don't want to leave, I just want it to stop.",
      'Our kid asked why we were shouting, and that broke my heart.',
    ],
    therapist: [
      'It sounds exhausting to be stuck in the same loop. When the argument starts, what happens in your body just before the door slams?',
      'The words "never" and "always" tend to escalate things. Could you each try describing one specific moment instead, and what you needed then?',
    ],
  },
  {
    client: [
      'I moved to a new city for a job and I have not made a single friend in six months.',
      'Weekends are the worst. I go whole days without speaking to anyone.',
    ],
    details: [
      'I joined a running club, went twice, felt awkward, stopped going.',
      'My family calls on Sundays and I pretend everything is great.',
      'Scrolling other people\'s photos makes it worse, but I can\'t stop.',
    ],
    therapist: [
      'Loneliness after a move is very common and it still hurts. Going to the club twice took courage. What made it feel awkward, and what might make a third visit a little easier?',
      "Pretending everything is great must be tiring. What would you want your family to know if you didn't have to protect them?",
    ],
  },
  {
    client: [
      'I had a panic attack on the train, I thought I was having a heart attack.',
      'Now I avoid the underground completely, I take two buses instead.',
    ],
    details: [
      'My GP checked my heart and said it is fine, but it felt so real.',
      'Even thinking about the platform makes my hands shake.',
      'I\'m scared it will happen at my sister\'s wedding next month.',
    ],
    therapist: [
      'Panic can feel exactly like a medical emergency, so your fear makes sense. Avoidance brings relief now but tends to make the fear grow. Could we plan some very small, gradual steps back toward the train?',
      "Thank you for checking with your GP first. Let's look at what happens in a panic attack, so the symptoms feel less mysterious, and practise a slow-breathing exercise you can use anywhere.",
    ],
  },
  {
    client: [
      "I'm a nurse and I feel nothing anymore when patients die. That scares me.",
      'I have worked three double shifts this week, and I snapped at a patient\'s daughter.',
    ],
    details: [
      'I used to love this job.',
      "I drink two or three glasses of wine every night just to switch off, maybe more.",
      'My rota for next month is even worse.',
    ],
    therapist: [
      'Feeling numb after so much loss is often a sign of burnout, not of not caring. You mentioned the wine: can we look at how much and how often, without judgement?',
      "You're carrying a lot. Snapping once after three double shifts is human. Who at work could you talk to about the rota, and what rest do you get between shifts?",
    ],
  },
  {
    client: [
      'My teenage son barely talks to me. He just grunts and goes to his room.',
      'My daughter (15) is self-harming, I found marks on her arm yesterday.',
    ],
    details: [
      'I tried asking directly and she shouted "leave me alone".',
      'My husband thinks it is a phase.',
      "I feel like I've failed as a parent.",
    ],
    therapist: [
      "Finding that must have been frightening. You haven't failed: you noticed and you're seeking help. It's important she's assessed by her GP or a youth mental-health service soon; would you like to plan how to approach her calmly?",
      'Teenagers often pull away, and it can still feel like rejection. Sometimes side-by-side time, like driving or cooking together, makes talking easier than face-to-face questions.',
    ],
  },
  {
    client: [
      'I keep thinking everyone at work thinks I am incompetent.',
      "I got promoted and I'm convinced they made a mistake, I'm waiting to be found out.",
    ],
    details: [
      'When I get praise I tell myself they are just being polite.',
      'I rewrite every email five times; a two-line reply takes me 20 minutes.',
      'My appraisal said "exceeds expectations", but I don\'t believe it.',
    ],
    therapist: [
      'That feeling of waiting to be found out has a name, impostor feelings, and it is very common among capable people. What evidence do you have for, and against, the thought "I am incompetent"?',
      'Rewriting emails five times sounds like a way to manage anxiety. What do you fear would happen if you sent one after two read-throughs?',
    ],
  },
  {
    client: [
      'Sometimes I think everyone would be better off without me.',
      'I have been thinking about ending things. I have not told anyone.',
    ],
    details: [
      'I have not made a plan, it is more like a heavy thought that comes at night.',
      'I gave away my guitar last week, it felt right.',
      'I am only telling you because you asked.',
    ],
    therapist: [
      "Thank you for telling me; that took courage. I want to understand how safe you are right now. Have you thought about how you might end your life? Let's make a safety plan together today, including who you can call, and I'll give you the number of a 24-hour crisis line.",
      "I'm really glad you said this out loud. Giving away your guitar is something I want to take seriously. Can we talk about what is happening tonight, and agree on steps to keep you safe, including contacting crisis support?",
    ],
  },
  {
    client: [
      'My exams start in three weeks and I have not started revising. I just freeze.',
      'I failed one module last year and now I am terrified of failing again.',
    ],
    details: [
      'I open the textbook, read one page, then find myself cleaning the whole flat.',
      'My parents paid for everything, if I fail, I have wasted their money.',
      'I sleep until noon because waking up means facing it.',
    ],
    therapist: [
      'Freezing when the stakes feel huge is very understandable. What if we broke revision into 25-minute blocks with short breaks, starting with the topic that feels least scary?',
      'It sounds like a lot of pressure comes from not wanting to let your parents down. What would you say to a friend in exactly your situation?',
    ],
  },
  {
    client: [
      'I look after my mum, who has dementia, and I have not had a day off in a year.',
      'My dad doesn\'t recognise me anymore some days, and I still have to bathe him.',
    ],
    details: [
      'My brother lives abroad and sends money, but never visits.',
      'I feel angry at her, and then I feel terrible for being angry.',
      'The social worker mentioned respite care but I feel guilty even considering it.',
    ],
    therapist: [
      'Caring for a parent with dementia is one of the hardest jobs there is. Anger and love can exist together; feeling angry does not make you a bad daughter. Respite care is a way of keeping you able to care, not abandoning her.',
      'Not being recognised by your own father is a kind of grief while he is still here. What support would make the biggest difference to you this month?',
    ],
  },
  {
    client: [
      "I get so angry at small things, yesterday I threw my phone because the Wi-Fi dropped.",
      'My temper is scaring my kids. I never hit anyone, but I shout.',
    ],
    details: [
      'My own dad was like this, and I swore I would never be.',
      'Afterwards I feel ashamed and apologise, then it happens again.',
      'At work I keep it all in, then explode at home.',
    ],
    therapist: [
      "It's a big step to notice the pattern and want to change it for your kids. Let's map what happens before you explode: the thoughts, the body signals, the time of day. That gives us places to step in.",
      'Holding it all in at work and releasing it at home is a common pattern. What would a safe "pressure valve" during the day look like for you?',
    ],
  },
  {
    client: [
      'I have had back pain for four years and I feel like my life has shrunk to the sofa.',
      'Doctors keep saying the scans are fine, but the pain is real.',
    ],
    details: [
      "I stopped seeing friends because I can't sit in restaurants for long.",
      'I feel useless, my wife does everything now.',
      'Some days I count the hours until I can take the next painkiller.',
    ],
    therapist: [
      'Your pain is real, whatever the scans show, and living with it for four years is exhausting. Could we look at activities you have given up and find small, paced ways back to one of them?',
      'Feeling useless is painful too. How do you and your wife talk about the change in roles?',
    ],
  },
  {
    client: [
      'I am getting divorced and I cannot stop checking my ex\'s social media.',
      "Since the separation I only see my kids every other weekend and the flat feels so empty.",
    ],
    details: [
      'I saw a photo of her with someone new; I did not sleep that night.',
      'Friends took sides, I lost half of them.',
      'I keep thinking, "what if I had tried harder?"',
    ],
    therapist: [
      'Checking her profile keeps the wound open, even though it feels impossible to stop. What happens just before you pick up the phone to check?',
      'An empty flat after a separation can feel like a daily reminder of loss. What could make the weeks without your kids feel a little less empty?',
    ],
  },
  {
    client: [
      'Parties terrify me. I rehearse what to say and then say nothing.',
      'I ate lunch in a toilet cubicle at my new job because the canteen felt overwhelming.',
    ],
    details: [
      'I\'m sure people notice my face going red.',
      'After any conversation I replay it for hours, looking for mistakes.',
      'I would like a relationship, but dating apps make me feel sick.',
    ],
    therapist: [
      'Social anxiety can make ordinary places feel like a stage. The replaying afterwards is very common. Shall we try an experiment: one short conversation this week, and we note what actually happened versus what you predicted?',
      "Eating in a cubicle shows how strong that fear is, and also how hard you're working to cope. What is one small step toward the canteen that feels about 3 out of 10 scary?",
    ],
  },
  {
    client: [
      'I think I am drinking too much. It started as one beer after work, now it is most of a bottle of wine.',
      'I smoke cannabis every night to sleep and I cannot sleep without it anymore.',
    ],
    details: [
      'My friends drink as much as me, so maybe it is normal?',
      'I tried to stop for a week and felt awful, sweaty and irritable.',
      "I don't want my partner to know how much.",
    ],
    therapist: [
      "Thank you for being honest about this. Feeling awful when you stop can be a sign your body has become dependent, so it's important not to stop suddenly without medical advice. Would you be willing to talk with your GP about a safe plan?",
      'Comparing with friends is natural, but what matters is what the drinking is doing for you and to you. What does it help with, and what has it cost?',
    ],
  },
];

const OPENERS = ['', '', 'Honestly, ', 'I don\'t know where to start. ', 'This is hard to say. ', 'Okay, so, '];
const CLOSERS = ['', '', ' Is that normal?', ' I just want to feel like myself again.', ' What should I do?', ' Sorry, I am rambling.'];

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)]!;
}

/** `count` rows of [Context, Response], deterministic for a seed. */
export function conversations(count: number, seed = 20261125): string[][] {
  const rand = prng(seed);
  const rows: string[][] = [];
  const seen = new Set<string>();
  while (rows.length < count) {
    const topic = TOPICS[rows.length % TOPICS.length]!;
    const detailCount = 1 + Math.floor(rand() * 2);
    const details = [...topic.details].sort(() => rand() - 0.5).slice(0, detailCount);
    const separator = rand() < 0.25 ? '\n' : ' ';
    const opener = pick(rand, OPENERS);
    const first = pick(rand, topic.client);
    const lead = opener === '' || /^I\b/.test(first) ? first : first[0]!.toLowerCase() + first.slice(1);
    const context = `${opener}${lead}${separator}${details.join(separator)}${pick(rand, CLOSERS)}`;
    const response = pick(rand, topic.therapist);
    const key = `${context}\u0000${response}`;
    if (seen.has(key)) continue;
    seen.add(key);
    rows.push([context, response]);
  }
  return rows;
}

const isMain = process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'));
if (isMain) {
  const count = Number(process.argv[2] ?? 320);
  const text = stringify([['Context', 'Response'], ...conversations(count)], { record_delimiter: 'unix' });
  const out = join(import.meta.dirname, 'conversations.csv');
  writeFileSync(out, text);
  process.stdout.write(`wrote ${count} rows to ${out}\n`);
}
