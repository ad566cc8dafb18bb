// `npm run webhooks:secret`: prints a new WEBHOOK_SECRET ("whsec_" + 32 random bytes in base64).
// Set it in the app's environment and give the receiver the same value.
import { generateWebhookSecret } from "../lib/webhooks/secret";

console.log(generateWebhookSecret());
