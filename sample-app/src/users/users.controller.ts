import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Inject, NotFoundException, Param, ParseIntPipe, Post } from '@nestjs/common';
import { parseCreateUser, type User } from './user.dto.js';
import { UsersService } from './users.service.js';

@Controller('users')
export class UsersController {
  constructor(@Inject(UsersService) private readonly users: UsersService) {}

  @Get()
  list(): Promise<User[]> {
    return this.users.list();
  }

  @Get(':id')
  async get(@Param('id', ParseIntPipe) id: number): Promise<User> {
    const user = await this.users.get(id);
    if (!user) {
      throw new NotFoundException(`no user ${id}`);
    }
    return user;
  }

  @Post()
  create(@Body() body: unknown): Promise<User> {
    return this.users.create(parseCreateUser(body));
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  async delete(@Param('id', ParseIntPipe) id: number): Promise<void> {
    if (!(await this.users.delete(id))) {
      throw new NotFoundException(`no user ${id}`);
    }
  }
}
