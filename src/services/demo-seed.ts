// placeholder replaced below
export const DEMO_ACCOUNTS: { username: string; password: string; label: string }[] = [];
export async function seedDemo(..._args: unknown[]): Promise<void> {}
