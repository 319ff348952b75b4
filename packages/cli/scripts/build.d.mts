export declare function buildCli(options?: { sourcemap?: boolean }): Promise<void>;
export declare function embedInfrastructure(): void;
