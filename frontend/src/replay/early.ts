// Imported first of all by App.tsx, so that on the replay page the request for its data (after
// trading a secret link's key for the role cookie) leaves before the rest of the bundle (Monaco,
// mostly) has even been evaluated: the answer arrives while the page is still starting.

import { parseRoute } from '../router'
import { loadReplay } from './load'

const route = parseRoute(location.pathname)
if (route.page === 'replay') void loadReplay(route.id)
