// The venues the app can hold accounts at, by id. The composition root registers them; nothing else names a venue.
import type { VenueInfo } from '../../src-shared/domain/broker';
import type { AnyVenue } from '../ports/venue';

export class VenueRegistry {
  private readonly venues = new Map<string, AnyVenue>();

  register(venue: AnyVenue): this {
    if (this.venues.has(venue.id)) throw new Error(`Venue ${venue.id} is registered already`);
    this.venues.set(venue.id, venue);
    return this;
  }

  get(id: string): AnyVenue | undefined {
    return this.venues.get(id);
  }

  /** In registration order (the always-on paper venue first in the app). */
  list(): AnyVenue[] {
    return [...this.venues.values()];
  }

  info(): VenueInfo[] {
    return this.list().map((v) => ({
      id: v.id, label: v.label, capabilities: v.capabilities, alwaysOn: v.alwaysOn, settingsFields: v.settingsFields ?? [],
      secret: v.secret ? { label: v.secret.label, ...(v.secret.hint !== undefined ? { hint: v.secret.hint } : {}) } : null,
    }));
  }
}
