/** Hands a file to the browser to save, under the given name. */
export function downloadFile(file: Blob, fileName: string): void {
  const url = URL.createObjectURL(file);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  // The click has handed the file over; the URL is not needed after this turn.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** Hands data to the browser as a JSON file to save, under the given name. */
export function downloadJson(data: unknown, fileName: string): void {
  downloadFile(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }), fileName);
}

/** The file name a `Content-Disposition: attachment; filename=…` answer suggests (quoted or not), or the fallback. */
export function attachmentName(response: Response, fallback: string): string {
  return /filename="?([^";]+)"?/.exec(response.headers.get('Content-Disposition') ?? '')?.[1] ?? fallback;
}
