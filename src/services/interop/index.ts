// Interoperability services (issue 8): API keys, Open311, hotline import, export, the monthly report.
// Built once per Services instance on first use, so the composition root needs no change and the
// per-process state lives as long as the services do (the API keys' token buckets are the
// security limiter's: in memory or in Redis).
import type { Services } from '../index.ts';
import { ApiKeyService } from './apikeys.ts';
import { ExportService } from './export.ts';
import { ImportService } from './import.ts';
import { Open311Service } from './open311.ts';
import { RegionResolver } from './regions.ts';
import { ReportService } from './report.ts';

export interface InteropServices {
  apiKeys: ApiKeyService;
  open311: Open311Service;
  regions: RegionResolver;
  imports: ImportService;
  exports: ExportService;
  reports: ReportService;
}

const instances = new WeakMap<Services, InteropServices>();

export function interop(s: Services): InteropServices {
  let i = instances.get(s);
  if (!i) {
    const regions = new RegionResolver(s.org);
    i = {
      apiKeys: new ApiKeyService(s.ctx, s.audit, s.security.limiter),
      open311: new Open311Service(s.ctx, s.org, s.categories, s.intake, regions),
      regions,
      imports: new ImportService(s, regions),
      exports: new ExportService(s),
      reports: new ReportService(s),
    };
    instances.set(s, i);
  }
  return i;
}
