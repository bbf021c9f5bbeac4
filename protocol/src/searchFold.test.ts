import { describe, expect, it } from 'vitest';
import { foldForSearch } from './searchFold.ts';

describe('foldForSearch', () => {
  it('lowers, makes every sigma σ and drops accents, precomposed or combined', () => {
    const samples = ['Émile Ñuñez', 'E\u0301MILE', 'ZOË', 'ΝΊΚΟΣ Οδυσσέως', 'Уборка КВАРТИРЫ, ЁЛКА', 'İstanbul', 'ŁÓDŹ Ørsted', 'ﬁne', 'STRAẞE', 'plain ASCII 100%_\\'];
    expect(samples.map(foldForSearch)).toEqual([
      'emile nunez',
      'emile',
      'zoe',
      'νικοσ οδυσσεωσ',
      'уборка квартиры, елка',
      'istanbul',
      'lodz orsted',
      'fine',
      'straße',
      'plain ascii 100%_\\',
    ]);
  });
});
