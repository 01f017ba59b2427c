// @ts-nocheck — corpus file: analysed by Shippi, not compiled (its imports are not installed).
// A NestJS controller: request data arrives through parameter decorators, not through `req`.
import { Body, Controller, Get, Headers, Param, Post, Query, Req, Res } from '@nestjs/common';
import { execFile, exec } from 'node:child_process';
import { join, basename } from 'node:path';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';

@Controller('files')
export class FilesController {
  constructor(private readonly db: DataSource) {}

  @Get(':name')
  download(@Param('name') name: string, @Res() res: Response): void {
    res.sendFile(join('/srv/files', name)); // expect: path-traversal.request-path
  }

  @Get(':name/safe')
  downloadSafe(@Param('name') name: string, @Res() res: Response): void {
    res.sendFile(join('/srv/files', basename(name)));
  }

  @Get()
  async search(@Query('q') q: string, @Query('page') page: string): Promise<{ rows: unknown[] }> {
    const rows = await this.db.query(`SELECT * FROM files WHERE name LIKE '%${q}%'`); // expect: injection.sql
    const paged = await this.db.query('SELECT * FROM files LIMIT 20 OFFSET $1', [Number(page) * 20]);
    return { rows: [...rows, ...paged] };
  }

  @Post('convert')
  convert(@Body() dto: { input: string; format: string }): void {
    exec(`convert ${dto.input} out.${dto.format}`); // expect: injection.command
    execFile('convert', [dto.input, `out.${dto.format}`]);
  }

  @Get('back')
  back(@Headers('referer') referer: string, @Req() request: Request, @Res() res: Response): void {
    if (request.query.done) return res.redirect(referer); // expect: redirect.open-redirect
    res.redirect('/files');
  }
}
