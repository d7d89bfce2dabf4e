import { useState } from 'react';
import { useNavigate } from 'react-router';
import { PATHS } from '../../../app/paths.ts';
import { useShellWords } from '../../../i18n/shell.ts';

/** Search from the first screen: it opens the device list filtered by the words typed. */
export function HomeSearch() {
  const w = useShellWords();
  const navigate = useNavigate();
  const [text, setText] = useState('');
  return (
    <form
      className="home-search"
      onSubmit={(e) => {
        e.preventDefault();
        const q = text.trim();
        navigate(q ? `${PATHS.devices}?q=${encodeURIComponent(q)}` : PATHS.devices);
      }}
    >
      <label className="field field-search">
        <span className="field-label">{w.home.search}</span>
        <input
          type="search"
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder={w.home.searchPlaceholder}
          data-testid="home-search"
        />
      </label>
      <button type="submit" className="home-search-go">
        {w.home.searchGo}
      </button>
    </form>
  );
}
