/**
 * Resetting sync state: the confirmation modal, the in-channel notice, and the refusal for
 * people who are not admins.
 */
import { VIEWS } from '../ids.js';
import { escapeTruncate, mentionUser, oneLine, slackDate, truncateMrkdwn } from './escape.js';
import { checkMetadata, compact, context, plainText, section } from './kit.js';
import { capList, LIMITS } from './limits.js';
import type { ModalView, SlackMessage } from './types.js';
import { domainCode, integrationText } from './words.js';

const domainsText = (domains: string[]): string => {
  const { shown, hidden } = capList(domains, 10);
  return shown.length ? `${shown.map(domainCode).join(', ')}${hidden ? ` and ${hidden} more` : ''}` : 'every domain type';
};

export function resetConfirmModal(input: { integrationKey: string; integrationName: string; domains: string[]; metadata: string }): ModalView {
  checkMetadata(input.metadata);
  const integration = { key: input.integrationKey, name: input.integrationName };
  return {
    type: 'modal',
    callback_id: VIEWS.resetConfirm,
    title: plainText('Reset sync state', LIMITS.modalTitle),
    submit: plainText('Reset', LIMITS.modalButton),
    close: plainText('Cancel', LIMITS.modalButton),
    private_metadata: input.metadata,
    blocks: compact([
      section(`:warning: Reset the sync state of ${integrationText(integration)} for ${domainsText(input.domains)}?`),
      section(
        '• The *cursor* is emptied and the *kept problem records* are forgotten.\n' +
          '• The next run is a *full re-sync*: it fetches everything from the source again, which takes longer than usual.\n' +
          '• Data already synced is not deleted; records that still fail are kept again by that run.',
      ),
      context('Refused while a run of it is going. The reset is recorded with your name and posted in the integration’s channel.'),
    ]),
  };
}

/** The in-channel announcement: who reset what, and what it means. */
export function resetNotice(input: { integrationKey: string; integrationName: string; domains: string[]; actorUserId: string; at: Date }): SlackMessage {
  const integration = { key: input.integrationKey, name: input.integrationName };
  const who = mentionUser(input.actorUserId);
  const main = `:recycle: ${who} reset the sync state of ${integrationText(integration)} for ${domainsText(input.domains)} — the next sync fetches everything.`;
  return {
    text: truncateMrkdwn(
      `${who} reset the sync state of ${escapeTruncate(oneLine(input.integrationName || input.integrationKey), 200)} — the next sync fetches everything`,
      LIMITS.messageText,
    ),
    blocks: compact([section(main), context(`Reset ${slackDate(input.at)} · cursor and kept problem records emptied`)]),
  };
}

/** "Only admins can reset sync state: <@U1>, <@U2> (and workspace admins/owners)". */
export function adminRefusal(input: { admins: string[]; workspaceAdminsAllowed: boolean }): SlackMessage {
  const { shown, hidden } = capList(input.admins, 20);
  const names = shown.map(mentionUser).join(', ') + (hidden ? ` and ${hidden} more` : '');
  let text: string;
  if (shown.length) text = `Only admins can reset sync state: ${names}${input.workspaceAdminsAllowed ? ' (and workspace admins/owners)' : ''}.`;
  else if (input.workspaceAdminsAllowed) text = 'Only workspace admins and owners can reset sync state.';
  else text = 'Nobody may reset sync state from Slack: no admins are configured. Ask whoever runs Tether to name some.';
  if (shown.length || input.workspaceAdminsAllowed) text += ' Ask one of them to do it.';
  return { text: truncateMrkdwn(text, LIMITS.messageText), blocks: [section(`:lock: ${text}`)] };
}
