// `npm run superuser -- <email>`: makes a registered user a superuser in the running local runtime
// (`npm start` in another terminal). No route grants superuser on purpose; in AWS an operator sets
// the flag on the user item (runbooks/data-maintenance.md). `--revoke` takes it away again.
import { applyEnvironment, handlerEnvironment, jwtSecret, runtimeOptions } from './environment.js';

const args = process.argv.slice(2);
const revoke = args.includes('--revoke');
const email = args.find((arg) => !arg.startsWith('--'));
if (!email) {
  process.stderr.write('usage: npm run superuser -- <email> [--revoke]\n');
  process.exit(1);
}

const options = runtimeOptions([], process.env);
// Before any product module is imported: shared/config.ts reads the environment at import.
applyEnvironment(handlerEnvironment(options, jwtSecret(options, process.env, false), process.env));
const { findUserByEmail, updateUser } = await import('../../shared/domain/users/repository.js');

try {
  const user = await findUserByEmail(email);
  if (!user) {
    process.stderr.write(`no user is registered with ${email}\n`);
    process.exit(1);
  }
  await updateUser(user.id, { is_superuser: !revoke });
  process.stdout.write(`${user.email} (${user.id}) is ${revoke ? 'no longer' : 'now'} a superuser\n`);
} catch (error) {
  process.stderr.write(`could not reach DynamoDB Local at ${process.env.DYNAMODB_ENDPOINT}: is \`npm start\` running with the same DYNAMODB_PORT?\n${String(error)}\n`);
  process.exit(1);
}
