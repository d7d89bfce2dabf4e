import { type CriteriaReport, EXPORT_CONTENT_TYPES, type ExportFormat, routes } from '@commune-hub/protocol';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { AnnexSource } from '../criteria/export/annex-model.ts';
import { attachmentDisposition } from '../criteria/export/text.ts';
import { reportsVisible, visibleVillageOf } from './criteria-scope.ts';
import { defineRoute } from './define-route.ts';

// exceljs, docx and jszip hold ~50 MiB once loaded: load them on the first export, not at boot (issue 15).
const BUILDERS = {
  xlsx: async (source: AnnexSource) => (await import('../criteria/export/xlsx.ts')).buildAnnexXlsx(source),
  docx: async (source: AnnexSource) => (await import('../criteria/export/docx.ts')).buildAnnexDocx(source),
} as const;

async function sendAnnex(reply: FastifyReply, format: ExportFormat, source: AnnexSource) {
  const { bytes, fileName } = await BUILDERS[format](source);
  return reply
    .type(EXPORT_CONTENT_TYPES[format])
    .header('content-disposition', attachmentDisposition(fileName))
    .header('cache-control', 'no-store')
    .send(bytes);
}

function reportSource(report: CriteriaReport): AnnexSource {
  // Only the frozen content and the summary's hash: a report exports the same a year later.
  return {
    evaluation: report.content.evaluation,
    report: {
      id: report.id,
      version: report.version,
      supersedes: report.supersedes,
      submittedAt: report.submittedAt,
      submittedBy: report.submittedBy,
      sha256: report.sha256,
    },
  };
}

/**
 * The annex as files (readable by whoever may read the dashboard): a live evaluation of any period, or a
 * submitted report from its frozen snapshot with its SHA-256. Builders are pure (hub/src/criteria/export).
 * Registered from protocol's route map, which describes the answers with their media types.
 */
export const criteriaExportRoutes: FastifyPluginAsync = async (app) => {
  const { criteria } = app;

  const evaluationRoutes = { xlsx: routes.criteriaEvaluationXlsx, docx: routes.criteriaEvaluationDocx };
  const reportRoutes = { xlsx: routes.criteriaReportXlsx, docx: routes.criteriaReportDocx };
  for (const format of ['xlsx', 'docx'] as const) {
    defineRoute(app, evaluationRoutes[format], async (request, reply) => {
      const { village, formerCommune, ...period } = request.query;
      const evaluation = criteria.evaluate(request.params.id, criteria.period(period), {
        ...(village !== undefined && { village }),
        ...(formerCommune !== undefined && { formerCommune }),
        ...visibleVillageOf(request),
      });
      return sendAnnex(reply, format, { evaluation });
    });

    defineRoute(app, reportRoutes[format], async (request, reply) => {
      reportsVisible(request, request.params.id);
      return sendAnnex(reply, format, reportSource(criteria.report(request.params.id)));
    });
  }
};
