/** The public status page (no login, no shell): `/trang-thai/:group`, one device, printable QR codes. */
export { PrintQrPage, QrImage } from './components/PrintQrPage.tsx';
export {
  PublicDevicePage,
  PublicStatusPage,
  publicDevicePath,
  publicGroupPath,
  publicPrintPath,
} from './components/PublicStatusPage.tsx';
export { PUBLIC_WORDS, usePublicWords } from './words.ts';
