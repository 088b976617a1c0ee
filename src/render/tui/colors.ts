// Whether the UI paints colours (NO_COLOR, FORCE_COLOR=0, TERM=dumb: no). Attributes that are not colours
// (bold, inverse, dim) stay: the selection and search matches must still show.
import { createContext, useContext } from 'react';

export const ColorContext = createContext(true);

/** `c(name)`: the colour to pass to ink, or none when colours are off */
export function useColor(): (color: string | undefined) => string | undefined {
  const on = useContext(ColorContext);
  return on ? (color) => color : () => undefined;
}
