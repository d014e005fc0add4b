export const ALL_ROLES = ['dealer', 'finance', 'after-sales', 'auditor', 'admin'] as const;
export type Role = (typeof ALL_ROLES)[number];

/** Enum-like access: Role.Dealer === 'dealer'. */
export const Role = {
  Dealer: 'dealer',
  Finance: 'finance',
  AfterSales: 'after-sales',
  Auditor: 'auditor',
  Admin: 'admin',
} as const satisfies Record<string, Role>;

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ALL_ROLES as readonly string[]).includes(value);
}

/** Methods an auditor may use. */
export const READ_ONLY_METHODS: readonly string[] = ['GET', 'HEAD'];
