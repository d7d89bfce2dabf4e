import {
  CRITERIA_EXPORT_ROUTES,
  type CriteriaReport,
  EvaluationQuery,
  EXPORT_CONTENT_TYPES,
  type ExportFormat,
} from '@commune-hub/protocol';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import type { AnnexSource } from '../criteria/export/annex-model.ts';
import { buildAnnexDocx } from '../criteria/export/docx.ts';
import { attachmentDisposition } from '../criteria/export/text.ts';
import { buildAnnexXlsx } from '../criteria/export/xlsx.ts';

const SetParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
const ReportParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const BUILDERS = { xlsx: buildAnnexXlsx, docx: buildAnnexDocx } as const;

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
 */
export const criteriaExportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { criteria } = app;

  for (const format of ['xlsx', 'docx'] as const) {
    app.get(
      format === 'xlsx' ? CRITERIA_EXPORT_ROUTES.evaluationXlsx : CRITERIA_EXPORT_ROUTES.evaluationDocx,
      { schema: { params: SetParams, querystring: EvaluationQuery } },
      async (request, reply) => {
        const { village, formerCommune, ...period } = request.query;
        const evaluation = criteria.evaluate(request.params.id, criteria.period(period), {
          ...(village !== undefined && { village }),
          ...(formerCommune !== undefined && { formerCommune }),
        });
        return sendAnnex(reply, format, { evaluation });
      },
    );

    app.get(
      format === 'xlsx' ? CRITERIA_EXPORT_ROUTES.reportXlsx : CRITERIA_EXPORT_ROUTES.reportDocx,
      { schema: { params: ReportParams } },
      async (request, reply) => sendAnnex(reply, format, reportSource(criteria.report(request.params.id))),
    );
  }
};
