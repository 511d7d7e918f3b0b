import { describe, expect, it } from 'vitest';
import { committedApiTypes, renderApiTypes } from '../../scripts/api-types';

describe('the panel API types', () => {
  it('when the OpenAPI document is rendered to types, then it matches web/src/api/schema.d.ts (else run npm run api-types)', async () => {
    expect(await renderApiTypes()).toBe(committedApiTypes());
  });
});
