const DEVICE_NAME = /^(?:con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;

/**
 * Windows opens a device, not a file, for CON, PRN, AUX, NUL, COM0-9 and LPT0-9 in any case
 * and with any extension (`nul.txt`), so such a name can never be a generated file or folder.
 */
export function isWindowsDeviceName(segment: string): boolean {
  return DEVICE_NAME.test(segment.split('.')[0]!);
}
