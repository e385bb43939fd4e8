// The rule lives in @recto/common, where the repository that resolves highlights reaches it too.
export { coverageOf, mapMatchesToWords, type WordSpan } from '@recto/common';
