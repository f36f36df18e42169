// @ts-check
// Every GraphQL document the client sends, in one place. Every mutation but createUser takes a
// clientRequestId: the store sends a fresh one with each write and the same one when it sends
// the write again after an ambiguous answer (api.js).
//
// tests/test_client_operations.py reads this file and validates each document against
// schema/schema.graphql, so keep its shape simple: `const NAME = `...`;` with only `${NAME}`
// interpolations of the field lists defined here and of the numbers of limits.js.
//
// Why mutations select so much: AppSync sends subscribers the MUTATION's selection set and
// filters on fields of that result. Every field a subscription asks for (and every field it
// filters on, e.g. `boardId`) must therefore be selected by each mutation that triggers it.

import { MAX_PAGE } from "./limits.js";

/**
 * What the documents below select, as the client reads it (ISO date-times are strings).
 * @typedef {"GOOD" | "BAD" | "ACTION"} Column
 * @typedef {"FREE" | "WRITE" | "VOTE" | "DISCUSS"} Stage
 * @typedef {{id: string, boardId: string, versionId: string, column: Column,
 *   text: string | null, votes: number | null, createdAt: string, updatedAt: string,
 *   done: boolean, who: string | null, carriedFrom: string | null, carriedCount: number,
 *   groupId: string | null}} Note
 *   text is null while the texts are hidden (for everyone, the author included), votes
 *   while the ballot is secret; done, who and carriedCount are of ACTION notes
 * @typedef {{id: string, boardId: string, versionId: string, column: Column,
 *   title: string | null, votes: number | null, noteIds: string[]}} NoteGroup
 *   notes of one column under a title; no noteIds: the group is gone
 * @typedef {{versionId: string, number: number, title: string | null, createdAt: string,
 *   frozenAt: string | null, goodNotes: number, badNotes: number, actionNotes: number,
 *   votesCast: number | null, actionsOpened: number, actionsCarried: number,
 *   actionsDone: number, actionsOpen: number, oldestOpenActionAge: number | null}}
 *   VersionTrend one version's counts
 * @typedef {{id: string, boardId: string, number: number, title: string | null,
 *   createdAt: string, frozenAt: string | null}} Version
 * @typedef {Version & {notes: Note[], groups: NoteGroup[]}} VersionWithNotes
 * @typedef {{endsAt: string, remainingMs: number, durationSeconds: number, advances: boolean,
 *   running: boolean, ended: boolean}} Timer remainingMs is the time left when the server
 *   answered; ended: it ran out (not stopped)
 * @typedef {{stage: Stage, textsHidden: boolean, votesHidden: boolean,
 *   timer: Timer | null}} Meeting where the live version's meeting stands
 * @typedef {Version & Meeting} VersionState what onVersionChanged and the facilitator's
 *   mutations answer
 * @typedef {{voteBudget: number, hideWhileWriting: boolean, secretBallot: boolean}} Settings
 * @typedef {{id: string, title: string, createdAt: string, updatedAt: string,
 *   settings: Settings}} Board
 * @typedef {{id: string, number: number, title: string | null}} VersionRef
 * @typedef {Board & {currentVersion?: VersionRef}} BoardUpdate what updateBoard answers
 * @typedef {{id: string, column: Column, text: string}} MyNote
 * @typedef {{boardId: string, versionId: string, isOwner: boolean, voteBudget: number,
 *   votesUsed: number, votesLeft: number, myVotes: {noteId: string, count: number}[],
 *   myNoteIds: string[], myNotes: MyNote[]}} Participation
 * @typedef {{id: string, title: string, updatedAt: string}} BoardSummary
 */

const NOTE_FIELDS = `id boardId versionId column text votes createdAt updatedAt
    done who carriedFrom carriedCount groupId`;

const GROUP_FIELDS = `id boardId versionId column title votes noteIds`;

const TREND_FIELDS = `versionId number title createdAt frozenAt goodNotes badNotes actionNotes
    votesCast actionsOpened actionsCarried actionsDone actionsOpen oldestOpenActionAge`;

const VERSION_FIELDS = `id boardId number title createdAt frozenAt`;

const BOARD_FIELDS = `id title createdAt updatedAt
    settings { voteBudget hideWhileWriting secretBallot }`;

// The live version's meeting: enough for every client to re-render without guessing.
const MEETING_FIELDS = `stage textsHidden votesHidden
    timer { endsAt remainingMs durationSeconds advances running ended }`;

const PARTICIPATION_FIELDS = `boardId versionId isOwner voteBudget votesUsed votesLeft
    myVotes { noteId count } myNoteIds myNotes { id column text }`;

// Identity ------------------------------------------------------------------------------

export const CREATE_USER = `mutation CreateUser {
  createUser { token user { id } }
}`;

export const WHO_AM_I = `query WhoAmI {
  me { id }
}`;

// Start page ----------------------------------------------------------------------------

export const MY_BOARDS = `query MyBoards($nextToken: String) {
  me {
    id
    boards(limit: 20, nextToken: $nextToken) { items { id title updatedAt } nextToken }
  }
}`;

export const CREATE_BOARD = `mutation CreateBoard($input: CreateBoardInput!) {
  createBoard(input: $input) { ${BOARD_FIELDS} }
}`;

// Board page ----------------------------------------------------------------------------

/** The whole live board and the caller's standing on it, in one request. */
export const BOARD_PAGE = `query BoardPage($id: ID!) {
  board(id: $id) {
    ${BOARD_FIELDS}
    currentVersion {
      ${VERSION_FIELDS}
      ${MEETING_FIELDS}
      notes { ${NOTE_FIELDS} }
      groups { ${GROUP_FIELDS} }
    }
    versions(limit: ${MAX_PAGE}) { items { ${VERSION_FIELDS} } nextToken }
  }
  participation(boardId: $id) { ${PARTICIPATION_FIELDS} }
}`;

export const MORE_VERSIONS = `query MoreVersions($id: ID!, $nextToken: String) {
  board(id: $id) {
    id
    versions(limit: ${MAX_PAGE}, nextToken: $nextToken) { items { ${VERSION_FIELDS} } nextToken }
  }
}`;

export const PARTICIPATION = `query Participation($boardId: ID!) {
  participation(boardId: $boardId) { ${PARTICIPATION_FIELDS} }
}`;

/** A frozen (or any) version by number, read-only in the UI. */
export const VERSION_NOTES = `query VersionNotes($id: ID!, $number: Int!) {
  board(id: $id) {
    id
    version(number: $number) {
      ${VERSION_FIELDS}
      notes { ${NOTE_FIELDS} }
      groups { ${GROUP_FIELDS} }
    }
  }
}`;

/** The board's counts over all its versions, oldest first: the trend view. */
export const TREND = `query Trend($boardId: ID!) {
  trend(boardId: $boardId) { boardId versions { ${TREND_FIELDS} } }
}`;

export const EXPORT_VERSION = `query ExportVersion($id: ID!, $number: Int!, $format: ExportFormat!) {
  board(id: $id) {
    id
    title
    version(number: $number) { id number export(format: $format) }
  }
}`;

// Notes and votes -----------------------------------------------------------------------

export const ADD_NOTE = `mutation AddNote($input: AddNoteInput!) {
  addNote(input: $input) { ${NOTE_FIELDS} }
}`;

export const UPDATE_NOTE = `mutation UpdateNote($input: UpdateNoteInput!) {
  updateNote(input: $input) { ${NOTE_FIELDS} }
}`;

export const DELETE_NOTE = `mutation DeleteNote($boardId: ID!, $id: ID!, $clientRequestId: String) {
  deleteNote(boardId: $boardId, id: $id, clientRequestId: $clientRequestId) { ${NOTE_FIELDS} }
}`;

export const VOTE = `mutation Vote($boardId: ID!, $noteId: ID!, $clientRequestId: String) {
  vote(boardId: $boardId, noteId: $noteId, clientRequestId: $clientRequestId) { ${NOTE_FIELDS} }
}`;

export const UNVOTE = `mutation Unvote($boardId: ID!, $noteId: ID!, $clientRequestId: String) {
  unvote(boardId: $boardId, noteId: $noteId, clientRequestId: $clientRequestId) {
    ${NOTE_FIELDS}
  }
}`;

// Action items and groups: anyone on the board -----------------------------------------

export const UPDATE_ACTION = `mutation UpdateAction($input: UpdateActionInput!) {
  updateAction(input: $input) { ${NOTE_FIELDS} }
}`;

export const GROUP_NOTES = `mutation GroupNotes($input: GroupNotesInput!) {
  groupNotes(input: $input) { ${GROUP_FIELDS} }
}`;

export const RENAME_GROUP = `mutation RenameGroup($input: RenameGroupInput!) {
  renameGroup(input: $input) { ${GROUP_FIELDS} }
}`;

export const UNGROUP_NOTE = `mutation UngroupNote($input: UngroupNoteInput!) {
  ungroupNote(input: $input) { ${GROUP_FIELDS} }
}`;

// Owner controls ------------------------------------------------------------------------

export const UPDATE_BOARD = `mutation UpdateBoard($input: UpdateBoardInput!) {
  updateBoard(input: $input) {
    ${BOARD_FIELDS}
    currentVersion { id number title }
  }
}`;

export const START_NEW_VERSION = `mutation StartNewVersion($input: StartVersionInput!) {
  startNewVersion(input: $input) { ${VERSION_FIELDS} }
}`;

// The facilitator's controls: each answers the live version's meeting, which is what
// onVersionChanged sends everyone.

export const SET_STAGE = `mutation SetStage($input: SetStageInput!) {
  setStage(input: $input) { ${VERSION_FIELDS} ${MEETING_FIELDS} }
}`;

export const START_TIMER = `mutation StartTimer($input: StartTimerInput!) {
  startTimer(input: $input) { ${VERSION_FIELDS} ${MEETING_FIELDS} }
}`;

export const EXTEND_TIMER = `mutation ExtendTimer(
  $boardId: ID!
  $seconds: Int!
  $clientRequestId: String
) {
  extendTimer(boardId: $boardId, seconds: $seconds, clientRequestId: $clientRequestId) {
    ${VERSION_FIELDS}
    ${MEETING_FIELDS}
  }
}`;

export const STOP_TIMER = `mutation StopTimer($boardId: ID!, $clientRequestId: String) {
  stopTimer(boardId: $boardId, clientRequestId: $clientRequestId) {
    ${VERSION_FIELDS}
    ${MEETING_FIELDS}
  }
}`;

export const DELETE_BOARD = `mutation DeleteBoard($id: ID!) {
  deleteBoard(id: $id) { id title }
}`;

// Subscriptions (sent over the realtime WebSocket) --------------------------------------

export const ON_NOTE_ADDED = `subscription OnNoteAdded($boardId: ID!) {
  onNoteAdded(boardId: $boardId) { ${NOTE_FIELDS} }
}`;

export const ON_NOTE_UPDATED = `subscription OnNoteUpdated($boardId: ID!) {
  onNoteUpdated(boardId: $boardId) { ${NOTE_FIELDS} }
}`;

export const ON_NOTE_DELETED = `subscription OnNoteDeleted($boardId: ID!) {
  onNoteDeleted(boardId: $boardId) { ${NOTE_FIELDS} }
}`;

export const ON_BOARD_UPDATED = `subscription OnBoardUpdated($id: ID!) {
  onBoardUpdated(id: $id) {
    ${BOARD_FIELDS}
    currentVersion { id number title }
  }
}`;

export const ON_BOARD_DELETED = `subscription OnBoardDeleted($id: ID!) {
  onBoardDeleted(id: $id) { id title }
}`;

export const ON_VERSION_STARTED = `subscription OnVersionStarted($boardId: ID!) {
  onVersionStarted(boardId: $boardId) { ${VERSION_FIELDS} }
}`;

export const ON_VERSION_CHANGED = `subscription OnVersionChanged($boardId: ID!) {
  onVersionChanged(boardId: $boardId) { ${VERSION_FIELDS} ${MEETING_FIELDS} }
}`;

export const ON_GROUP_CHANGED = `subscription OnGroupChanged($boardId: ID!) {
  onGroupChanged(boardId: $boardId) { ${GROUP_FIELDS} }
}`;
