'use client';

import type { SubsetAddition, SubsetOffer } from '@/lib/types/traffic-split';

export interface SubsetOffersProps {
  offers: readonly SubsetOffer[];
  /** subsets already added to the change */
  added: readonly SubsetAddition[];
  disabled: boolean;
  onAdd: (offer: SubsetOffer) => void;
  onRemove: (addition: SubsetAddition) => void;
}

function where(offer: SubsetOffer): string {
  return offer.destinationRule
    ? `to DestinationRule ${offer.destinationRule.namespace}/${offer.destinationRule.name}`
    : 'in a new DestinationRule';
}

/**
 * Versions with running pods that no subset selects: adding the subset (to the host's
 * DestinationRule, or a new one) joins the change, and the version gets a slider at 0.
 */
export function SubsetOffers({ offers, added, disabled, onAdd, onRemove }: SubsetOffersProps) {
  if (offers.length === 0) return null;
  const isAdded = (offer: SubsetOffer) =>
    added.some((addition) => addition.host === offer.host && addition.name === offer.name);
  return (
    <section className="subset-offers" aria-labelledby="subset-offers-heading" data-testid="subset-offers">
      <h2 id="subset-offers-heading">Versions without a subset</h2>
      <ul>
        {offers.map((offer) => (
          <li key={`${offer.host}/${offer.name}`}>
            {offer.host} version {offer.labels.version ?? offer.name} has {offer.pods} running pod
            {offer.pods === 1 ? '' : 's'} but no subset, so no route can send to it.{' '}
            {isAdded(offer) ? (
              <button
                type="button"
                className="button-quiet"
                disabled={disabled}
                onClick={() => onRemove({ host: offer.host, name: offer.name, labels: offer.labels })}
              >
                Remove subset {offer.name} from the change
              </button>
            ) : (
              <button type="button" disabled={disabled} onClick={() => onAdd(offer)}>
                Add subset {offer.name} {where(offer)}
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
