/**
 * A message of one to three emoji and nothing else ("👍", "🎉🎉", "🇬🇧") is shown large, as chat
 * apps do; an emoji among words, or a digit or "#" (emoji only as keycaps), is not.
 */
const EMOJI_GRAPHEME = /^(?:\p{Extended_Pictographic}|\p{Regional_Indicator}|\p{Emoji_Modifier}|\u200d|\ufe0f|\u20e3)+$/u;
const MAX_EMOJI = 3;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

export function isEmojiOnly(text: string): boolean {
  const parts = [...graphemes.segment(text)].map((s) => s.segment).filter((s) => s.trim() !== '');
  return parts.length > 0 && parts.length <= MAX_EMOJI && parts.every((g) => EMOJI_GRAPHEME.test(g));
}
