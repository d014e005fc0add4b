import type { Role } from './roles';

/** The authenticated caller, built from JWT claims `sub`, `role`, `dealer`. */
export interface Principal {
  sub: string;
  role: Role;
  /** Present (and required) for role `dealer`. */
  dealerCode?: string;
}
