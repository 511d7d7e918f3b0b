/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// (The checks below run in the page, where the DOM is.)
import type { Locator, Page } from '@playwright/test';
import { expect } from './fixtures';

/** A phone's viewport, as checkPage's narrow screenshot uses. */
export const PHONE = { width: 390, height: 844 };

/**
 * What a phone-sized screen must not do: scroll the page sideways, or put a button where it
 * cannot be seen (past the viewport's edge, or clipped by a container that scrolls).
 */
export async function expectFitsWidth(page: Page): Promise<void> {
  const problems = await page.evaluate(() => {
    const found: string[] = [];
    const width = window.innerWidth;
    if (document.documentElement.scrollWidth > width)
      found.push(`the page is ${document.documentElement.scrollWidth}px wide in a ${width}px viewport`);
    for (const button of document.querySelectorAll('button')) {
      const box = button.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue; // not rendered
      const name = button.textContent?.trim() ?? '';
      if (box.left < 0 || box.right > width) found.push(`"${name}" spans ${box.left}–${box.right}px`);
      for (let parent = button.parentElement; parent; parent = parent.parentElement) {
        if (getComputedStyle(parent).overflowX === 'visible') continue;
        const clip = parent.getBoundingClientRect();
        if (box.left < clip.left - 0.5 || box.right > clip.right + 0.5)
          found.push(`"${name}" is cut off by a ${parent.tagName.toLowerCase()}.${parent.className}`);
      }
    }
    return found;
  });
  expect(problems).toEqual([]);
}

/**
 * A checkbox and its label as the eye reads them: the box at its full size, centred on the
 * label's first line, and the label right after it.
 */
export async function checkboxGeometry(checkbox: Locator, label: Locator) {
  const box = (await checkbox.boundingBox())!;
  const text = (await label.boundingBox())!;
  const lineHeight = await label.evaluate((element) => parseFloat(getComputedStyle(element).lineHeight));
  return {
    size: { width: Math.round(box.width), height: Math.round(box.height) },
    /** How far the box's centre is from the middle of the label's first line. */
    offFirstLine: Math.abs(box.y + box.height / 2 - (text.y + lineHeight / 2)),
    boxLeft: Math.round(box.x),
    labelLeft: Math.round(text.x),
  };
}
