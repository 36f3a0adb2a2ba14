// A news headline about an instrument, as a data provider gives it (Yahoo's search news); scores are added by the
// sentiment module in main (src-main/domain/sentiment).
export interface NewsItem {
  /** The provider's id of the story (Yahoo's uuid). */
  id: string;
  title: string;
  publisher: string;
  link: string;
  /** Published, UTC ms. */
  time: number;
  /** Instruments the provider links to the story, in our spelling. */
  relatedTickers: string[];
}
