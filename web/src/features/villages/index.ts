// The villages feature's public surface ("Thôn"): the app imports only from here.
import './villages.css';

export { VillagesPage } from './components/VillagesPage.tsx';
export { orderVillages } from './order.ts';
export { VILLAGE_WORDS } from './words.ts';
