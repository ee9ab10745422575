// Search quality (issue 12): a labelled query set over a small, realistic household, through real
// HTTP and the change feed's index. For each query, the things a person means must be in the top
// five; recall@5 over the whole set is printed and must be at least 0.95.
import { describe, expect, it } from 'vitest';
import { call, createWorkspace, expectStatus, signUp } from './support/api.js';
import { eventually } from './support/eventually.js';

/** What the household owns: [segment, body]. Names as people write them, typos of theirs included. */
const household: [string, Record<string, unknown>][] = [
  ['items', { name: 'Cordless drill', brand: 'Makita', model: 'DHP482', sku: 'TOOL-0001', description: 'Two batteries and a charger in the green case' }],
  ['items', { name: 'Screwdriver set', brand: 'Wera', sku: 'TOOL-0002', description: 'Twelve bits, Phillips and Torx' }],
  ['items', { name: 'Angle grinder', brand: 'Bosch', model: 'GWS 7-125', sku: 'TOOL-0003', description: 'Cutting discs in the drawer below' }],
  ['items', { name: 'Hammer', brand: 'Estwing', sku: 'TOOL-0004' }],
  ['items', { name: 'Step ladder', brand: 'Zarges', sku: 'HOME-0001', description: 'Aluminium, five steps' }],
  ['items', { name: 'Extension cord 10 m', sku: 'HOME-0002', description: 'Orange, for the garden' }],
  ['items', { name: 'Espresso machine', brand: 'Gaggia', model: 'Classic Pro', sku: 'KITCHEN-0001', description: 'Descale every two months' }],
  ['items', { name: 'Crème brûlée torch', brand: 'Iwatani', sku: 'KITCHEN-0002' }],
  ['items', { name: 'Stand mixer', brand: 'KitchenAid', model: 'Artisan', sku: 'KITCHEN-0003', description: 'Dough hook and whisk' }],
  ['items', { name: 'Cast iron skillet', brand: 'Lodge', sku: 'KITCHEN-0004' }],
  ['items', { name: 'Tent for four', brand: 'Vaude', sku: 'CAMP-0001', description: 'Poles in the blue bag, pegs in the red one' }],
  ['items', { name: 'Sleeping bag', brand: 'Deuter', sku: 'CAMP-0002', description: 'Down, comfort to minus five' }],
  ['items', { name: 'Camping stove', brand: 'Primus', sku: 'CAMP-0003', description: 'Needs the small gas cartridges' }],
  ['items', { name: 'Headlamp', brand: 'Petzl', sku: 'CAMP-0004' }],
  ['items', { name: 'Lawn mower', brand: 'Husqvarna', sku: 'GARDEN-0001', description: 'Petrol, oil change each spring' }],
  ['items', { name: 'Hedge trimmer', brand: 'Stihl', sku: 'GARDEN-0002' }],
  ['items', { name: 'Garden hose 25 m', brand: 'Gardena', sku: 'GARDEN-0003' }],
  ['items', { name: 'Wheelbarrow', sku: 'GARDEN-0004', serial_number: 'WB-2211-XL' }],
  ['items', { name: 'Winter tyres', brand: 'Nokian', sku: 'CAR-0001', description: 'Set of four, 205/55 R16' }],
  ['items', { name: 'Bicycle pump', brand: 'SKS', sku: 'BIKE-0001' }],
  ['items', { name: 'Children\'s bicycle', brand: 'Puky', sku: 'BIKE-0002', description: 'Sixteen inch, red' }],
  ['items', { name: 'Sewing machine', brand: 'Singer', sku: 'HOME-0003' }],
  ['items', { name: 'Vacuum cleaner', brand: 'Dyson', model: 'V11', sku: 'HOME-0004' }],
  ['items', { name: 'Projector', brand: 'Epson', sku: 'MEDIA-0001', description: 'Remote in the box with the HDMI cable' }],
  ['items', { name: 'Board game: Catan', sku: 'GAME-0001' }],
  ['locations', { name: 'Garage' }],
  ['locations', { name: 'Attic storage' }],
  ['locations', { name: 'Kitchen pantry' }],
  ['borrowers', { name: 'Ingrid Johansson', email: 'ingrid@example.test' }],
  ['borrowers', { name: 'Mats Lindqvist' }],
  ['companies', { name: 'Hornbach' }],
  ['labels', { name: 'Fragile' }],
  ['categories', { name: 'Power tools' }],
];

/** query → the names that must be in its top five */
const labelled: [string, string[]][] = [
  ['drill', ['Cordless drill']],
  ['dril', ['Cordless drill']],
  ['makita', ['Cordless drill']],
  ['dhp482', ['Cordless drill']],
  ['screwdriver', ['Screwdriver set']],
  ['scredriver', ['Screwdriver set']],
  ['scre', ['Screwdriver set']],
  ['grinder', ['Angle grinder']],
  ['angel grinder', ['Angle grinder']],
  ['bosch', ['Angle grinder']],
  ['hammer', ['Hammer']],
  ['ladder', ['Step ladder']],
  ['aluminium ladder', ['Step ladder']],
  ['espresso', ['Espresso machine']],
  ['expresso', ['Espresso machine']],
  ['creme brulee', ['Crème brûlée torch']],
  ['mixer', ['Stand mixer']],
  ['kitchenaid', ['Stand mixer']],
  ['skillet', ['Cast iron skillet']],
  ['tent', ['Tent for four']],
  ['sleeping', ['Sleeping bag']],
  ['stove', ['Camping stove']],
  ['camping', ['Camping stove']],
  ['lawn mower', ['Lawn mower']],
  // a compound typed as one word: not found yet (no decompounding); counted, so the report shows it
  ['lawnmower', ['Lawn mower']],
  ['hedge', ['Hedge trimmer']],
  ['trimer', ['Hedge trimmer']],
  ['hose', ['Garden hose 25 m']],
  ['garden', ['Garden hose 25 m', 'Extension cord 10 m']],
  ['wheelbarow', ['Wheelbarrow']],
  ['wb-2211', ['Wheelbarrow']],
  ['tyres', ['Winter tyres']],
  ['bicycle', ['Bicycle pump', 'Children\'s bicycle']],
  ['bicycle pump', ['Bicycle pump']],
  ['sewing', ['Sewing machine']],
  ['vacuum', ['Vacuum cleaner']],
  ['dyson', ['Vacuum cleaner']],
  ['projector', ['Projector']],
  ['hdmi', ['Projector']],
  ['catan', ['Board game: Catan']],
  ['garage', ['Garage']],
  ['attic', ['Attic storage']],
  ['pantry', ['Kitchen pantry']],
  ['ingrid', ['Ingrid Johansson']],
  ['lindqvist', ['Mats Lindqvist']],
  ['hornbach', ['Hornbach']],
  ['fragile', ['Fragile']],
  ['power tools', ['Power tools']],
  ['kitchen-0003', ['Stand mixer']],
  ['camp-00', ['Tent for four', 'Sleeping bag', 'Camping stove', 'Headlamp']],
];

describe('search quality', () => {
  it('finds what a person means in the top five: recall@5 ≥ 0.95 over the labelled set', async () => {
    const owner = await signUp();
    const workspace = await createWorkspace(owner.token);
    const base = `/workspaces/${workspace.id}`;
    for (const [segment, body] of household) expectStatus(await call('POST', `${base}/${segment}`, { token: owner.token, body }), 201);
    const top5 = async (q: string) =>
      (expectStatus(await call<{ results: { name: string }[] }>('GET', `${base}/search`, { token: owner.token, query: { q, limit: 5 } }), 200).json.results).map((result) => result.name);
    // the index follows the change feed: wait for the last thing made
    await eventually('the household indexed', () => top5('power tools'), (names) => names.includes('Power tools'), 30_000);

    let expected = 0;
    let found = 0;
    const misses: string[] = [];
    for (const [q, names] of labelled) {
      const answer = await top5(q);
      for (const name of names) {
        expected += 1;
        if (answer.includes(name)) found += 1;
        else misses.push(`"${q}" → ${JSON.stringify(answer)} (missing ${name})`);
      }
    }
    const recall = found / expected;
    process.stdout.write(`search quality: recall@5 ${recall.toFixed(3)} (${found}/${expected} over ${labelled.length} queries)${misses.length ? `; missed:\n  ${misses.join('\n  ')}` : ''}\n`);
    expect(recall).toBeGreaterThanOrEqual(0.95);
  });
});
