// The home feature's public surface ("Hôm nay"): the app imports only from here.
export { HomePage } from './components/HomePage.tsx';
