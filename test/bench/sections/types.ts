// What run.ts hands every bench section.
export interface BenchContext {
  /** measured runs for the figures that take a median over fresh processes (`--runs`, default 7) */
  runs: number;
  /** prints one line of progress or detail (the bench may print; product code may not) */
  log(line?: string): void;
  /** figures of an earlier run (`--compare FILE`, the JSON of `--json`), to report growth against */
  previous?: readonly { name: string; value: number; unit: string }[];
}

export interface BenchSection {
  /** what `--only <name>` selects */
  name: string;
  title: string;
  run(context: BenchContext): Promise<void>;
}
