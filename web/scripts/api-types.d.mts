export const OUTPUT: string;
export function pruneDanglingSchemas(spec: unknown): string[];
export function generate(spec: unknown): Promise<string>;
