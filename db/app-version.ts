/** The FEA Studio version, recorded in audit entries (reference §4.3: audit_log.app_version). */
import pkg from '../package.json';

export const APP_VERSION: string = pkg.version;
