export declare function rng(seed: number): () => number;
export declare function mutate(input: Uint8Array, rand: () => number): Uint8Array;
