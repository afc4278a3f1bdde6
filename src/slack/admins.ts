import type { WebClient } from '@slack/web-api';
import type { Logger } from '../sync/ports.js';

const CACHE_MS = 5 * 60_000;
/** users.info must not eat a trigger_id's 3 seconds: past this, the answer is "not an admin". */
const LOOKUP_TIMEOUT_MS = 1500;

/**
 * Who may run admin actions (reset): the Slack user ids in TETHER_ADMINS, and — when
 * TETHER_WORKSPACE_ADMINS=true — workspace admins and owners (users.info, cached 5 minutes).
 * Checked on the server for every admin action; hiding a button is never the check.
 */
export class AdminCheck {
  private readonly cache = new Map<string, { admin: boolean; until: number }>();

  constructor(
    readonly admins: string[],
    readonly workspaceAdmins: boolean,
    private readonly client: WebClient,
    private readonly log: Logger,
  ) {}

  async isAdmin(userId: string): Promise<boolean> {
    if (this.admins.includes(userId)) return true;
    if (!this.workspaceAdmins) return false;
    const cached = this.cache.get(userId);
    if (cached && cached.until > Date.now()) return cached.admin;
    try {
      const answer = await Promise.race([
        this.client.users.info({ user: userId }),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('users.info took too long')), LOOKUP_TIMEOUT_MS).unref()),
      ]);
      const user = answer.user as { is_admin?: boolean; is_owner?: boolean; is_primary_owner?: boolean } | undefined;
      const admin = Boolean(user?.is_admin || user?.is_owner || user?.is_primary_owner);
      this.cache.set(userId, { admin, until: Date.now() + CACHE_MS });
      return admin;
    } catch (error) {
      this.log.warn({ err: error, userId }, 'admin check: users.info failed; treating the user as not an admin');
      return false;
    }
  }
}
