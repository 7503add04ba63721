// The teacher's settings the students' page is served with, as JSON data in its markup (never as
// code): the server writes them, the page's script reads them.

export interface StudentPageConfig {
  /** The broker's WebSocket as the students' browsers reach it, never with a user or password. */
  broker: string;
  /** The class's topic prefix, e.g. `LycMaurois/SNT_2nde/`. */
  prefix: string;
  title: string;
  /** Served to the classroom's network (--listen): the page says so. */
  open?: boolean;
}
