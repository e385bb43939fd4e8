// The rule lives in @recto/common, where the repository that resolves highlights reaches it too.
export { mapMatchesToWords, type WordSpan } from '@recto/common';
