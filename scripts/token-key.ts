// `npm run tokens:key`: prints a new TOKEN_ENCRYPTION_KEY entry with a unique id (or `-- <id>`).
// To rotate, put it first: TOKEN_ENCRYPTION_KEY="<new entry>,<old entries>"
import { generateKeyEntry } from "../lib/token-keyring";

console.log(generateKeyEntry(process.argv[2]));
