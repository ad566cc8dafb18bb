import "server-only";
import { handlers } from ".";

export const { GET, POST } = handlers;
